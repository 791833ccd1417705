-- A book's cover image, sent as a multipart/form-data upload (the image file, a caption, tags); one per book,
-- replaced by the next upload. Row-level security as for the other tables.

CREATE TABLE book_covers (
    book_id       uuid        PRIMARY KEY REFERENCES books (id) ON DELETE CASCADE,
    user_id       uuid        NOT NULL,
    content_type  text        NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    file_name     text        CHECK (char_length(file_name) BETWEEN 1 AND 255),
    caption       text        CHECK (char_length(caption) BETWEEN 1 AND 200),
    tags          text[]      NOT NULL DEFAULT '{}',
    image         bytea       NOT NULL CHECK (octet_length(image) BETWEEN 1 AND 1048576),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE POLICY book_covers_owner ON book_covers
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY book_covers_system ON book_covers
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE book_covers ENABLE ROW LEVEL SECURITY;
ALTER TABLE book_covers FORCE ROW LEVEL SECURITY;
