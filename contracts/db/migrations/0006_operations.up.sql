-- What operators need: dead letters, the audit log, and users' data exports.

CREATE TABLE dead_letters (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    source           text        NOT NULL CHECK (source IN ('TASK', 'OUTBOX', 'WEBHOOK')),
    user_id          uuid        REFERENCES users (id) ON DELETE CASCADE,
    task_id          uuid        REFERENCES tasks (id) ON DELETE SET NULL,
    outbox_event_id  uuid        REFERENCES outbox_events (id) ON DELETE SET NULL,
    error_code       integer     NOT NULL CHECK (error_code BETWEEN 40000 AND 59999),
    error_message    text        NOT NULL CHECK (char_length(error_message) <= 2000),
    context          jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(context) = 'object'),
    replayable       boolean     NOT NULL DEFAULT true,
    replayed_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dead_letters_subject CHECK (source <> 'TASK' OR task_id IS NOT NULL OR replayable = false)
);

CREATE INDEX dead_letters_created_idx ON dead_letters (created_at DESC, id DESC);
CREATE INDEX dead_letters_source_idx ON dead_letters (source, created_at DESC, id DESC);
CREATE INDEX dead_letters_task_idx ON dead_letters (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX dead_letters_outbox_idx ON dead_letters (outbox_event_id) WHERE outbox_event_id IS NOT NULL;
CREATE INDEX dead_letters_user_idx ON dead_letters (user_id);

-- Append-only; no foreign key on actor_id so entries survive the deletion of their actor.
CREATE TABLE audit_logs (
    id           bigserial   PRIMARY KEY,
    actor_id     uuid,
    action       text        NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
    target_type  text        NOT NULL CHECK (target_type ~ '^[a-z_]+$'),
    target_id    text        NOT NULL CHECK (char_length(target_id) BETWEEN 1 AND 64),
    detail       jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
    request_id   text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_logs_created_idx ON audit_logs (created_at DESC, id DESC);
CREATE INDEX audit_logs_actor_idx ON audit_logs (actor_id, created_at DESC, id DESC);
CREATE INDEX audit_logs_target_idx ON audit_logs (target_type, target_id, created_at DESC);

CREATE TABLE account_exports (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'READY', 'FAILED', 'EXPIRED')),
    storage_key  text        UNIQUE,
    expire_at    timestamptz,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CONSTRAINT account_exports_ready CHECK ((status = 'READY') = (storage_key IS NOT NULL AND expire_at IS NOT NULL))
);

-- One export in flight per user.
CREATE UNIQUE INDEX account_exports_one_pending_key ON account_exports (user_id) WHERE status = 'PENDING';
CREATE INDEX account_exports_user_idx ON account_exports (user_id, created_at DESC);
