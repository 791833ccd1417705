ALTER TABLE webhook_deliveries DROP COLUMN failure_code;
ALTER TABLE webhook_deliveries DROP COLUMN payload_sha256;
ALTER TABLE webhook_deliveries DROP COLUMN request_headers;

ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
UPDATE webhook_deliveries SET status = 'FAILED' WHERE status = 'DEAD';
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
    CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED'));
