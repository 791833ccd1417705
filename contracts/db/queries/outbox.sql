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

-- name: EnqueueWebhookDeliveries :execrows
-- One PENDING delivery of outbox event $1 (user $2, type $3, payload $4) to each of the user's enabled
-- endpoints subscribed to the type; an endpoint that already has it keeps its delivery.
INSERT INTO webhook_deliveries (endpoint_id, user_id, event_id, event_type, payload, next_attempt_at)
SELECT e.id, e.user_id, $1, $3, $4, now()
FROM webhook_endpoints AS e
WHERE e.user_id = $2 AND e.enabled AND $3 = ANY (e.events)
ON CONFLICT (endpoint_id, event_id) DO NOTHING;

-- name: LeaseDueWebhookDeliveries :many
-- Up to $1 due deliveries to enabled endpoints, counted as an attempt and hidden from other senders
-- for $2 seconds (the request's time limit and more), with their endpoint's URL and secret. The
-- sender records the outcome afterwards, outside this transaction.
-- params: limit, hideSeconds
WITH due AS (
    SELECT d.id
    FROM webhook_deliveries AS d
    JOIN webhook_endpoints AS e ON e.id = d.endpoint_id
    WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.enabled
    ORDER BY d.next_attempt_at
    LIMIT $1
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries AS d
SET attempts = d.attempts + 1,
    next_attempt_at = now() + make_interval(secs => $2::double precision)
FROM due, webhook_endpoints AS e
WHERE d.id = due.id AND e.id = d.endpoint_id
RETURNING d.id, d.endpoint_id, d.user_id, d.event_id, d.event_type, d.payload, d.attempts, e.url, e.secret;

-- name: RecordWebhookDelivered :execrows
-- Delivery $1 was answered with 2xx status $2; $3 the request headers sent, $4 the payload's SHA-256.
UPDATE webhook_deliveries
SET status = 'DELIVERED', delivered_at = now(), next_attempt_at = NULL, last_status_code = $2, last_error = NULL,
    failure_code = NULL, request_headers = $3, payload_sha256 = $4
WHERE id = $1 AND status = 'PENDING';

-- name: RecordWebhookFailure :execrows
-- Delivery $1 failed (status $2 if the receiver answered, error $3, failure code $4, headers $5, payload
-- SHA-256 $6): tried again at $7, or DEAD when $7 is null.
UPDATE webhook_deliveries
SET status = CASE WHEN $7::timestamptz IS NULL THEN 'DEAD' ELSE 'PENDING' END,
    next_attempt_at = $7::timestamptz, last_status_code = $2, last_error = $3, failure_code = $4, request_headers = $5,
    payload_sha256 = $6
WHERE id = $1 AND status = 'PENDING';

-- name: ReviveOutboxEvent :execrows
-- A DEAD outbox event $1 made PENDING again with its attempts counted afresh (a dead-letter replay).
UPDATE outbox_events
SET status = 'PENDING', attempts = 0, next_attempt_at = now(), last_error = NULL
WHERE id = $1 AND status = 'DEAD';

-- name: ReviveWebhookDelivery :one
-- A DEAD delivery $1 made PENDING again with its attempts counted afresh (a retry by hand or a replay).
UPDATE webhook_deliveries
SET status = 'PENDING', attempts = 0, next_attempt_at = now()
WHERE id = $1 AND status = 'DEAD'
RETURNING *;

-- name: ListUserWebhookEndpoints :many
-- A page of user $1's webhook endpoints, newest first, after the keyset ($2, $3).
-- params: userId, afterCreatedAt, afterId, limit
SELECT * FROM webhook_endpoints
WHERE user_id = $1
  AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $4;

-- name: ListUserDeliveries :many
-- A page of user $1's deliveries, newest first, filtered by endpoint, status and event type, after the keyset ($5, $6).
-- params: userId, endpointId, status, eventType, afterCreatedAt, afterId, limit
SELECT * FROM webhook_deliveries
WHERE user_id = $1
  AND ($2::uuid IS NULL OR endpoint_id = $2::uuid)
  AND ($3::text IS NULL OR status = $3::text)
  AND ($4::text IS NULL OR event_type = $4::text)
  AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $7;
