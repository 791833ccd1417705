DELETE FROM webhook_deliveries WHERE event_type = 'task.result_expiring';
UPDATE webhook_endpoints SET events = array_remove(events, 'task.result_expiring') WHERE 'task.result_expiring' = ANY (events);
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_type_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_type_check CHECK (event_type IN
    ('ping', 'task.created', 'task.queued', 'task.succeeded', 'task.failed', 'task.canceled'));
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 6
    AND events <@ ARRAY['ping', 'task.created', 'task.queued', 'task.succeeded', 'task.failed', 'task.canceled']::text[]);
ALTER TABLE tasks DROP CONSTRAINT tasks_result_reminded;
ALTER TABLE tasks DROP COLUMN result_reminded_at;
