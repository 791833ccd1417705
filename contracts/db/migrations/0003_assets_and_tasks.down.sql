DROP TABLE task_action_keys;
DROP TABLE task_events;
DROP TABLE task_masks;
DROP TABLE tasks;
DROP TABLE assets;
DROP TYPE task_status;
