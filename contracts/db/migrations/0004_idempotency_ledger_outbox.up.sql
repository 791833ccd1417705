-- Request idempotency, the usage ledger (quota) and the transactional outbox.

-- Stored responses of state-changing requests, per user (NULL user: public operations).
-- `response_status` is NULL while the first request is still running.
CREATE TABLE idempotency_keys (
    id                bigserial   PRIMARY KEY,
    user_id           uuid        REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key   text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 128),
    operation_id      text        NOT NULL,
    request_hash      bytea       NOT NULL CHECK (octet_length(request_hash) = 32),
    response_status   integer     CHECK (response_status BETWEEN 200 AND 599),
    response_headers  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    response_body     jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_scope_key UNIQUE NULLS NOT DISTINCT (user_id, idempotency_key),
    CONSTRAINT idempotency_keys_expiry CHECK (expires_at > created_at)
);

CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- Quota: a task HOLDs a unit when it is created or retried; success COMMITs it, failure or cancel
-- RELEASEs it. `source` names the hold (`create`, `retry:2`), so each transition happens once.
-- `task_id` has no foreign key on purpose: deleting a task must not rewrite the usage it consumed.
CREATE TABLE usage_ledger (
    id            bigserial   PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    task_id       uuid        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('HELD', 'COMMITTED', 'RELEASED')),
    source        text        NOT NULL CHECK (source ~ '^(create|retry:[0-9]+|replay:[0-9]+)$'),
    units         integer     NOT NULL DEFAULT 1 CHECK (units > 0),
    period_start  timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT usage_ledger_transition_key UNIQUE (user_id, task_id, status, source)
);

CREATE INDEX usage_ledger_period_idx ON usage_ledger (user_id, period_start);
CREATE INDEX usage_ledger_task_idx ON usage_ledger (task_id);

-- Events to publish (webhooks, internal consumers), written in the same transaction as the change.
CREATE TABLE outbox_events (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        REFERENCES users (id) ON DELETE CASCADE,
    aggregate_type   text        NOT NULL CHECK (aggregate_type IN ('task', 'payment', 'subscription', 'webhook_endpoint')),
    aggregate_id     uuid        NOT NULL,
    event_type       text        NOT NULL CHECK (event_type ~ '^[a-z_]+(\.[a-z_]+)+$' OR event_type = 'ping'),
    payload          jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PUBLISHED', 'DEAD')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    CONSTRAINT outbox_events_published CHECK ((status = 'PUBLISHED') = (published_at IS NOT NULL))
);

CREATE INDEX outbox_events_pending_idx ON outbox_events (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX outbox_events_aggregate_idx ON outbox_events (aggregate_type, aggregate_id);
CREATE INDEX outbox_events_user_idx ON outbox_events (user_id);
