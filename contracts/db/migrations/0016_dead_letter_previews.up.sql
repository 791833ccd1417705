-- Dead-letter replay runs only what was previewed (the plan's 004, item 9: preview and execution
-- are separate operations). A preview stores the letters it found replayable; a replay names the
-- preview (and optionally a subset of its letters), within `expires_at`, and executes it once.
CREATE TABLE dead_letter_previews (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    created_by       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    dead_letter_ids  uuid[]      NOT NULL CHECK (cardinality(dead_letter_ids) <= 500),
    skipped          integer     NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    executed_at      timestamptz,
    CONSTRAINT dead_letter_previews_lifetime CHECK (expires_at > created_at)
);

CREATE INDEX dead_letter_previews_expires_idx ON dead_letter_previews (expires_at);

CREATE POLICY dead_letter_previews_system ON dead_letter_previews
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE dead_letter_previews ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letter_previews FORCE ROW LEVEL SECURITY;
