DROP TABLE outbox_events;
DROP TABLE usage_ledger;
DROP TABLE idempotency_keys;
