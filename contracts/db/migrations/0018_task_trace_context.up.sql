-- A task keeps the W3C trace context of the request that created it (a `traceparent` value), so the
-- workers' spans of its stages join that request's trace: a task's whole life is one trace.
ALTER TABLE tasks ADD COLUMN trace_parent text
    CONSTRAINT tasks_trace_parent CHECK (trace_parent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
