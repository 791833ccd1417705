-- Task events are announced on the `task_events` channel (payload: the task's id) when their
-- transaction commits, so event streams wake at once instead of waiting for their next poll.
CREATE FUNCTION notify_task_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('task_events', NEW.task_id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER task_events_notify AFTER INSERT ON task_events
    FOR EACH ROW EXECUTE FUNCTION notify_task_event();
