-- Request idempotency: the first request with a key claims it, runs, and stores its response;
-- later requests with the key read the stored response (or see it still in flight).

-- name: ClaimIdempotencyKey :one
-- Claims key $2 for user $1 (NULL for public operations); no row when the key is already taken.
INSERT INTO idempotency_keys (user_id, idempotency_key, operation_id, request_hash, expires_at)
VALUES ($1, $2, $3, $4, now() + make_interval(hours => 24))
ON CONFLICT ON CONSTRAINT idempotency_keys_scope_key DO NOTHING
RETURNING id;

-- name: FindIdempotencyKey :one
-- The stored entry of key $2 for user $1.
SELECT * FROM idempotency_keys
WHERE user_id IS NOT DISTINCT FROM $1 AND idempotency_key = $2;

-- name: CompleteIdempotencyKey :one
-- Stores the response of the request that claimed entry $1 (no row: it was stored already). It returns
-- the entry's id so that it is prepared once per connection, like every statement that returns rows:
-- it runs inside the creator's usage lock.
UPDATE idempotency_keys
SET response_status = $2, response_headers = $3, response_body = $4
WHERE id = $1 AND response_status IS NULL
RETURNING id;

-- name: ReleaseIdempotencyKey :execrows
-- Forgets entry $1 when its request failed before it could store a response (so a retry runs again).
DELETE FROM idempotency_keys WHERE id = $1 AND response_status IS NULL;

-- name: DeleteExpiredIdempotencyKeys :execrows
-- Removes up to $1 of the keys whose replay window ended, oldest first; the sweeper of expired data
-- repeats it until fewer come back, so no single statement holds locks on a large backlog. Keys another
-- sweeper is deleting are skipped.
DELETE FROM idempotency_keys WHERE id IN (
    SELECT id FROM idempotency_keys WHERE expires_at < now()
    ORDER BY expires_at LIMIT $1
    FOR UPDATE SKIP LOCKED
);

-- name: FindTaskActionKey :one
-- The action recorded under key $2 of user $1.
SELECT * FROM task_action_keys WHERE user_id = $1 AND idempotency_key = $2;
