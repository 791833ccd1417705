-- Webhook endpoints of users and the deliveries of outbox events to them.

CREATE TABLE webhook_endpoints (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url          text        NOT NULL CHECK (char_length(url) BETWEEN 10 AND 2048 AND url ~ '^https?://'),
    events       text[]      NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 6
                                 AND events <@ ARRAY['ping', 'task.created', 'task.queued', 'task.succeeded', 'task.failed', 'task.canceled']::text[]),
    description  text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 200),
    secret       text        NOT NULL CHECK (char_length(secret) >= 32),
    enabled      boolean     NOT NULL DEFAULT true,
    version      bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_endpoints_user_idx ON webhook_endpoints (user_id, created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint_id       uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    user_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id          uuid        NOT NULL,
    event_type        text        NOT NULL CHECK (event_type IN ('ping', 'task.created', 'task.queued', 'task.succeeded', 'task.failed', 'task.canceled')),
    payload           jsonb       NOT NULL,
    status            text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts          integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_status_code  integer     CHECK (last_status_code BETWEEN 100 AND 599),
    last_error        text        CHECK (char_length(last_error) <= 1000),
    next_attempt_at   timestamptz,
    delivered_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_event_key UNIQUE (endpoint_id, event_id),
    CONSTRAINT webhook_deliveries_schedule CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL)),
    CONSTRAINT webhook_deliveries_delivered CHECK ((status = 'DELIVERED') = (delivered_at IS NOT NULL))
);

CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_user_idx ON webhook_deliveries (user_id, created_at DESC, id DESC);
