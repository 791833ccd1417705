-- Highlights in notes, listed oldest first with a (created_at, id) keyset.

-- name: InsertHighlight :one
-- Adds a highlight to note $2 for reader $1 under key $5; no row when the reader used the key already.
-- params: userId, noteId, quote, colour, idempotencyKey, requestHash
INSERT INTO highlights (user_id, note_id, quote, colour, idempotency_key, request_hash)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT ON CONSTRAINT highlights_idempotency_key DO NOTHING
RETURNING *;

-- name: ListNoteHighlights :many
-- A page of note $1's highlights, oldest first, after the keyset ($2, $3) of the previous page's last one.
-- params: noteId, afterCreatedAt, afterId, limit
SELECT * FROM highlights
WHERE note_id = $1
  AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
ORDER BY created_at, id
LIMIT $4;
