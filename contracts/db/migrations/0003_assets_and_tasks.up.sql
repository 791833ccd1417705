-- Uploaded assets, tasks with their lease and retry bookkeeping, masks, events and the
-- idempotency of task actions (cancel / retry).

CREATE TYPE task_status AS ENUM (
    'UPLOADED', 'QUEUED', 'PREPROCESSING', 'DETECTING', 'INPAINTING', 'PACKAGING', 'SUCCEEDED', 'FAILED', 'CANCELED'
);

CREATE TABLE assets (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name     text        NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    content_type  text        NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'video/mp4')),
    media_type    text        NOT NULL CHECK (media_type IN ('IMAGE', 'VIDEO')),
    size_bytes    bigint      NOT NULL CHECK (size_bytes > 0),
    sha256        text        CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    status        text        NOT NULL DEFAULT 'PENDING_UPLOAD' CHECK (status IN ('PENDING_UPLOAD', 'UPLOADED', 'DELETED')),
    storage_key   text        NOT NULL UNIQUE,
    width         integer     CHECK (width > 0),
    height        integer     CHECK (height > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    uploaded_at   timestamptz,
    CONSTRAINT assets_uploaded CHECK ((status = 'PENDING_UPLOAD') = (uploaded_at IS NULL)),
    CONSTRAINT assets_dimensions CHECK ((width IS NULL) = (height IS NULL))
);

CREATE INDEX assets_user_idx ON assets (user_id, created_at DESC, id DESC);

CREATE TABLE tasks (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    asset_id             uuid        NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    media_type           text        NOT NULL CHECK (media_type IN ('IMAGE', 'VIDEO')),
    mode                 text        NOT NULL DEFAULT 'FAST' CHECK (mode IN ('FAST', 'QUALITY')),
    status               task_status NOT NULL DEFAULT 'UPLOADED',
    progress             smallint    NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    version              bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    attempt              integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    retries              integer     NOT NULL DEFAULT 0 CHECK (retries BETWEEN 0 AND 2),
    auto_detect          boolean     NOT NULL DEFAULT false,
    mask_version         bigint      NOT NULL DEFAULT 0 CHECK (mask_version >= 0),
    lease_owner          text,
    lease_expires_at     timestamptz,
    heartbeat_at         timestamptz,
    next_run_at          timestamptz,
    error_code           integer     CHECK (error_code BETWEEN 40000 AND 59999),
    error_message        text        CHECK (char_length(error_message) <= 500),
    result_key           text,
    result_content_type  text        CHECK (result_content_type IN ('image/png', 'image/jpeg', 'image/webp', 'video/mp4')),
    result_size_bytes    bigint      CHECK (result_size_bytes > 0),
    result_expire_at     timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    started_at           timestamptz,
    finished_at          timestamptz,
    CONSTRAINT tasks_lease CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
    CONSTRAINT tasks_leased_only_while_running CHECK (lease_owner IS NULL OR status IN ('PREPROCESSING', 'DETECTING', 'INPAINTING', 'PACKAGING')),
    CONSTRAINT tasks_result CHECK ((status = 'SUCCEEDED') = (result_key IS NOT NULL AND result_content_type IS NOT NULL AND result_size_bytes IS NOT NULL AND result_expire_at IS NOT NULL)),
    CONSTRAINT tasks_failure CHECK (status <> 'FAILED' OR error_code IS NOT NULL),
    CONSTRAINT tasks_finished CHECK ((status IN ('SUCCEEDED', 'FAILED', 'CANCELED')) = (finished_at IS NOT NULL)),
    CONSTRAINT tasks_succeeded_progress CHECK (status <> 'SUCCEEDED' OR progress = 100),
    CONSTRAINT tasks_queued_runnable CHECK (status <> 'QUEUED' OR next_run_at IS NOT NULL)
);

CREATE INDEX tasks_user_idx ON tasks (user_id, created_at DESC, id DESC);
CREATE INDEX tasks_user_status_idx ON tasks (user_id, status, created_at DESC, id DESC);
CREATE INDEX tasks_created_idx ON tasks (created_at DESC, id DESC);
CREATE INDEX tasks_asset_idx ON tasks (asset_id);
-- Claiming: the queue is the QUEUED rows in run order.
CREATE INDEX tasks_runnable_idx ON tasks (next_run_at, created_at) WHERE status = 'QUEUED';
-- Recovery: leased rows by expiry.
CREATE INDEX tasks_leased_idx ON tasks (lease_expires_at) WHERE lease_owner IS NOT NULL;
-- Result expiry sweeps.
CREATE INDEX tasks_result_expiry_idx ON tasks (result_expire_at) WHERE result_key IS NOT NULL;

-- The current mask of a task; `version` counts saves (optimistic concurrency via If-Match).
CREATE TABLE task_masks (
    task_id     uuid        PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version     bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    polygons    jsonb       NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(polygons) = 'array'),
    strokes     jsonb       NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(strokes) = 'array'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT task_masks_not_empty CHECK (jsonb_array_length(polygons) + jsonb_array_length(strokes) > 0)
);

CREATE INDEX task_masks_user_idx ON task_masks (user_id);

-- Every status or progress change, in order, for the events stream and the audit of a task.
CREATE TABLE task_events (
    id          bigserial   PRIMARY KEY,
    task_id     uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sequence    bigint      NOT NULL CHECK (sequence >= 1),
    status      task_status NOT NULL,
    progress    smallint    NOT NULL CHECK (progress BETWEEN 0 AND 100),
    attempt     integer     NOT NULL CHECK (attempt >= 0),
    error_code  integer     CHECK (error_code BETWEEN 40000 AND 59999),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT task_events_sequence_key UNIQUE (task_id, sequence)
);

CREATE INDEX task_events_user_idx ON task_events (user_id);

-- Idempotency of cancel / retry: one key names one action on one task, forever.
CREATE TABLE task_action_keys (
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key  text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 128),
    task_id          uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    action           text        NOT NULL CHECK (action IN ('CANCEL', 'RETRY')),
    response_status  integer     NOT NULL CHECK (response_status BETWEEN 200 AND 599),
    response_body    jsonb       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, idempotency_key)
);

CREATE INDEX task_action_keys_task_idx ON task_action_keys (task_id);
