-- Books, the notes taken on them and the passages highlighted in notes. Readers are known only by the
-- subject of their token (`user_id`; there is no users table here). Each create is idempotent through
-- a unique (user_id, idempotency_key) with the SHA-256 of the request it made (`request_hash`).

CREATE TABLE books (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL,
    title            text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    author           text        CHECK (char_length(author) BETWEEN 1 AND 120),
    status           text        NOT NULL DEFAULT 'WANT_TO_READ' CHECK (status IN ('WANT_TO_READ', 'READING', 'FINISHED')),
    idempotency_key  text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 128),
    request_hash     bytea       NOT NULL CHECK (octet_length(request_hash) = 32),
    version          bigint      NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT books_idempotency_key UNIQUE (user_id, idempotency_key)
);

CREATE TABLE notes (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL,
    book_id          uuid        NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    text             text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
    page             integer     CHECK (page BETWEEN 1 AND 100000),
    idempotency_key  text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 128),
    request_hash     bytea       NOT NULL CHECK (octet_length(request_hash) = 32),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notes_idempotency_key UNIQUE (user_id, idempotency_key)
);

CREATE INDEX notes_book_recent_idx ON notes (book_id, created_at DESC, id DESC);

CREATE TABLE highlights (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL,
    note_id          uuid        NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    quote            text        NOT NULL CHECK (char_length(quote) BETWEEN 1 AND 1000),
    colour           text        NOT NULL CHECK (colour IN ('YELLOW', 'GREEN', 'BLUE', 'PINK')),
    idempotency_key  text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 128),
    request_hash     bytea       NOT NULL CHECK (octet_length(request_hash) = 32),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT highlights_idempotency_key UNIQUE (user_id, idempotency_key)
);

CREATE INDEX highlights_note_idx ON highlights (note_id, created_at, id);
