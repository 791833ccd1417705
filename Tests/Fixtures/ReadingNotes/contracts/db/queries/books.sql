-- Books. A create claims its idempotency key with the insert itself: no row back means the key was
-- used before, and the caller reads what it created then.

-- name: InsertBook :one
-- Adds a book for reader $1 under key $5; no row when the reader used the key already.
-- params: userId, title, author, status, idempotencyKey, requestHash
INSERT INTO books (user_id, title, author, status, idempotency_key, request_hash)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT ON CONSTRAINT books_idempotency_key DO NOTHING
RETURNING *;
