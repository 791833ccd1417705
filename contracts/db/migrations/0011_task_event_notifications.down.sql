DROP TRIGGER task_events_notify ON task_events;
DROP FUNCTION notify_task_event();
