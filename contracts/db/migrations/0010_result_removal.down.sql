DROP INDEX tasks_result_expiry_idx;
CREATE INDEX tasks_result_expiry_idx ON tasks (result_expire_at) WHERE result_key IS NOT NULL;

ALTER TABLE tasks DROP CONSTRAINT tasks_result_removed;
ALTER TABLE tasks DROP COLUMN result_removed_at;
