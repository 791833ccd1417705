-- When the file of an expired result was removed from storage (the sweeper of expired results sets
-- it, so each file is removed once); the expiry sweep index skips removed results.

ALTER TABLE tasks ADD COLUMN result_removed_at timestamptz;
ALTER TABLE tasks ADD CONSTRAINT tasks_result_removed CHECK (result_removed_at IS NULL OR result_key IS NOT NULL);

DROP INDEX tasks_result_expiry_idx;
CREATE INDEX tasks_result_expiry_idx ON tasks (result_expire_at) WHERE result_key IS NOT NULL AND result_removed_at IS NULL;
