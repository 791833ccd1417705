-- Quota and payments. A hold and its settlement are separate ledger rows with the same `source`;
-- the unique key (user, task, status, source) makes each transition happen at most once.

-- name: UsageForPeriod :one
-- Units committed and still held by user $1 in the period starting at $2 (no row: none yet), as
-- the ledger's trigger keeps them in `usage_period_totals`.
SELECT committed AS used, open_holds AS held
FROM usage_period_totals
WHERE user_id = $1 AND period_start = $2;

-- name: HoldUsage :execrows
-- Holds $4 units for task $2 of user $1 under source $3 in period $5; 0 rows if that hold exists.
INSERT INTO usage_ledger (user_id, task_id, status, source, units, period_start)
VALUES ($1, $2, 'HELD', $3, $4, $5)
ON CONFLICT ON CONSTRAINT usage_ledger_transition_key DO NOTHING;

-- name: SettleOpenUsageHold :execrows
-- Commits or releases ($2: COMMITTED or RELEASED) the newest hold of task $1 that is still open;
-- 0 rows when none is (never held, or settled already), so a step repeated after a worker died
-- cannot settle twice.
INSERT INTO usage_ledger (user_id, task_id, status, source, units, period_start)
SELECT h.user_id, h.task_id, $2, h.source, h.units, h.period_start
FROM usage_ledger AS h
WHERE h.task_id = $1 AND h.status = 'HELD'
  AND NOT EXISTS (
      SELECT 1 FROM usage_ledger AS s
      WHERE s.user_id = h.user_id AND s.task_id = h.task_id AND s.source = h.source
        AND s.status IN ('COMMITTED', 'RELEASED'))
ORDER BY h.id DESC
LIMIT 1
ON CONFLICT ON CONSTRAINT usage_ledger_transition_key DO NOTHING;

-- name: ActiveSubscription :one
-- User $1's active subscription with its plan.
SELECT s.*, p.quota_per_period, p.modes
FROM subscriptions AS s
JOIN plans AS p ON p.code = s.plan_code
WHERE s.user_id = $1 AND s.status = 'ACTIVE';

-- name: ListActivePlans :many
-- Active plans, cheapest first, after plan code $1 (keyset), at most $2.
SELECT * FROM plans
WHERE active AND ($1::text IS NULL OR (price_cents, code) > ((SELECT price_cents FROM plans WHERE code = $1::text), $1::text))
ORDER BY price_cents, code
LIMIT $2;

-- name: RecordPaymentCallback :execrows
-- Stores provider event $1 for payment $2; 0 rows when the event was seen before.
INSERT INTO payment_callbacks (event_id, payment_id, status, payload)
VALUES ($1, $2, $3, $4)
ON CONFLICT (event_id) DO NOTHING;

-- name: LockUserUsage :one
-- Locks user $1's row until the transaction ends, so quota checks and holds of one user happen one
-- at a time (two concurrent task creations cannot both take the last unit). NO KEY UPDATE does not
-- block inserts that reference the user.
SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE;
