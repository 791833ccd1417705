-- Request limits shared by every instance of the service: one row per limited subject (stored as
-- the SHA-256 of its name, which may hold an email address) and fixed window, counted with one
-- statement per attempt. Old windows are swept.
CREATE TABLE rate_limit_counters (
    subject_hash  text        NOT NULL CHECK (subject_hash ~ '^[0-9a-f]{64}$'),
    window_start  timestamptz NOT NULL,
    attempts      integer     NOT NULL CHECK (attempts >= 1),
    PRIMARY KEY (subject_hash, window_start)
);

CREATE INDEX rate_limit_counters_window_idx ON rate_limit_counters (window_start);
