-- The outbox dispatcher and webhook deliveries: claimed with SKIP LOCKED so several dispatchers share the work.

-- name: ClaimDueOutboxEvents :many
-- Up to $1 PENDING events whose next attempt is due, locked for this transaction.
SELECT * FROM outbox_events
WHERE status = 'PENDING' AND next_attempt_at <= now()
ORDER BY next_attempt_at
LIMIT $1
FOR UPDATE SKIP LOCKED;

-- name: MarkOutboxPublished :execrows
UPDATE outbox_events SET status = 'PUBLISHED', published_at = now() WHERE id = $1 AND status = 'PENDING';

-- name: MarkOutboxRetry :execrows
-- Records a failed attempt of event $1 and schedules the next at $2; after the last attempt use MarkOutboxDead.
UPDATE outbox_events
SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3
WHERE id = $1 AND status = 'PENDING';

-- name: MarkOutboxDead :execrows
UPDATE outbox_events
SET status = 'DEAD', attempts = attempts + 1, last_error = $2
WHERE id = $1 AND status = 'PENDING';

-- name: ClaimDueWebhookDeliveries :many
-- Up to $1 deliveries whose next attempt is due, with their endpoint's URL and secret.
SELECT d.*, e.url, e.secret
FROM webhook_deliveries AS d
JOIN webhook_endpoints AS e ON e.id = d.endpoint_id
WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.enabled
ORDER BY d.next_attempt_at
LIMIT $1
FOR UPDATE OF d SKIP LOCKED;

-- name: ListUserDeliveries :many
-- A page of user $1's deliveries, newest first, filtered by endpoint, status and event type, after the keyset ($5, $6).
SELECT * FROM webhook_deliveries
WHERE user_id = $1
  AND ($2::uuid IS NULL OR endpoint_id = $2::uuid)
  AND ($3::text IS NULL OR status = $3::text)
  AND ($4::text IS NULL OR event_type = $4::text)
  AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $7;
