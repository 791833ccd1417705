-- What each webhook delivery sent and how it ended: the request headers of its last attempt (with
-- the signature), the SHA-256 of the payload bytes, and a failure code (`http_503`, `timeout`,
-- `connect`, …). A delivery whose attempts are used up is DEAD (was FAILED), like the outbox.

ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
UPDATE webhook_deliveries SET status = 'DEAD' WHERE status = 'FAILED';
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
    CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD'));

ALTER TABLE webhook_deliveries ADD COLUMN request_headers jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE webhook_deliveries ADD COLUMN payload_sha256 text CHECK (payload_sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE webhook_deliveries ADD COLUMN failure_code text CHECK (failure_code ~ '^[a-z0-9_]{1,40}$');
