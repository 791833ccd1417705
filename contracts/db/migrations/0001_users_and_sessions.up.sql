-- Users and their sign-in sessions.
-- Emails are unique case-insensitively; refresh tokens are stored only as SHA-256 hashes and
-- rotate on every refresh (the previous hash is kept to detect a replayed, stolen token).

CREATE TABLE users (
    id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email                   text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
    password_hash           text        NOT NULL,
    display_name            text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 64),
    roles                   text[]      NOT NULL DEFAULT ARRAY['user']::text[]
                                        CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['user', 'admin']::text[]),
    status                  text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DELETION_SCHEDULED', 'DELETED')),
    deletion_scheduled_for  timestamptz,
    version                 bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_deletion_scheduled CHECK ((status = 'DELETION_SCHEDULED') = (deletion_scheduled_for IS NOT NULL))
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
    id                          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    refresh_token_hash          bytea       NOT NULL UNIQUE CHECK (octet_length(refresh_token_hash) = 32),
    previous_refresh_token_hash bytea       UNIQUE CHECK (octet_length(previous_refresh_token_hash) = 32),
    device_fingerprint          text        NOT NULL CHECK (char_length(device_fingerprint) BETWEEN 1 AND 128),
    device_name                 text        CHECK (char_length(device_name) BETWEEN 1 AND 64),
    version                     bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at                  timestamptz NOT NULL DEFAULT now(),
    last_used_at                timestamptz NOT NULL DEFAULT now(),
    expires_at                  timestamptz NOT NULL,
    revoked_at                  timestamptz,
    revoked_reason              text        CHECK (revoked_reason IN ('LOGOUT', 'LOGOUT_ALL', 'TOKEN_REUSE', 'ACCOUNT_DELETION')),
    CONSTRAINT sessions_revocation CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL)),
    CONSTRAINT sessions_expiry CHECK (expires_at > created_at)
);

CREATE INDEX sessions_user_active_idx ON sessions (user_id, created_at DESC) WHERE revoked_at IS NULL;
