-- Notes on books, listed newest first with a (created_at, id) keyset.

-- name: InsertNote :one
-- Adds a note on book $2 for reader $1 under key $5; no row when the reader used the key already.
-- params: userId, bookId, text, page, idempotencyKey, requestHash
INSERT INTO notes (user_id, book_id, text, page, idempotency_key, request_hash)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT ON CONSTRAINT notes_idempotency_key DO NOTHING
RETURNING *;

-- name: ListBookNotes :many
-- A page of book $1's notes, newest first, after the keyset ($2, $3) of the previous page's last note.
-- params: bookId, afterCreatedAt, afterId, limit
SELECT * FROM notes
WHERE book_id = $1
  AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $4;
