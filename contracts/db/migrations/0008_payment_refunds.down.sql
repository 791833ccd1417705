-- Refunded payments and their events cannot be expressed before 0008: this down migration refuses
-- (the constraints fail) while such rows exist.

ALTER TABLE subscriptions DROP COLUMN payment_id;

ALTER TABLE payment_callbacks DROP CONSTRAINT payment_callbacks_status_check;
ALTER TABLE payment_callbacks ADD CONSTRAINT payment_callbacks_status_check
    CHECK (status IN ('SUCCEEDED', 'FAILED'));

ALTER TABLE payments DROP CONSTRAINT payments_paid;
ALTER TABLE payments ADD CONSTRAINT payments_paid
    CHECK ((status = 'SUCCEEDED') = (paid_at IS NOT NULL));
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED'));
