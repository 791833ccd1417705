-- A `task.result_expiring` webhook event some time before a result is removed (the plan's INT-005):
-- each result is announced once (`result_reminded_at`), and endpoints may subscribe to the event.
ALTER TABLE tasks ADD COLUMN result_reminded_at timestamptz;
ALTER TABLE tasks ADD CONSTRAINT tasks_result_reminded CHECK (result_reminded_at IS NULL OR result_key IS NOT NULL);

ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 7
    AND events <@ ARRAY['ping', 'task.created', 'task.queued', 'task.succeeded', 'task.failed', 'task.canceled', 'task.result_expiring']::text[]);
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_type_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_type_check CHECK (event_type IN
    ('ping', 'task.created', 'task.queued', 'task.succeeded', 'task.failed', 'task.canceled', 'task.result_expiring'));
