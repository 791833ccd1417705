-- Refunds: a provider's REFUNDED event ends the subscription the payment started (back to free).
-- Each subscription names the payment that started it, so a refund finds exactly that one.

ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'REFUNDED'));
ALTER TABLE payments DROP CONSTRAINT payments_paid;
ALTER TABLE payments ADD CONSTRAINT payments_paid
    CHECK ((status IN ('SUCCEEDED', 'REFUNDED')) = (paid_at IS NOT NULL));

ALTER TABLE payment_callbacks DROP CONSTRAINT payment_callbacks_status_check;
ALTER TABLE payment_callbacks ADD CONSTRAINT payment_callbacks_status_check
    CHECK (status IN ('SUCCEEDED', 'FAILED', 'REFUNDED'));

ALTER TABLE subscriptions ADD COLUMN payment_id uuid REFERENCES payments (id) ON DELETE SET NULL;
