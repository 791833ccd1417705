-- Book covers: one per book, replaced by the next upload.

-- name: PutBookCover :one
-- Sets (or replaces) the cover of book $1 of reader $2.
-- params: bookId, userId, contentType, fileName, caption, tags, image
INSERT INTO book_covers (book_id, user_id, content_type, file_name, caption, tags, image)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (book_id) DO UPDATE
SET content_type = EXCLUDED.content_type, file_name = EXCLUDED.file_name, caption = EXCLUDED.caption,
    tags = EXCLUDED.tags, image = EXCLUDED.image, updated_at = now()
RETURNING book_id, content_type, file_name, caption, tags, octet_length(image) AS size_bytes, updated_at;

-- name: GetBookCoverImage :one
-- The cover image of book $1 and its media type; no row when the book has none.
-- params: bookId
SELECT content_type, image FROM book_covers WHERE book_id = $1;
