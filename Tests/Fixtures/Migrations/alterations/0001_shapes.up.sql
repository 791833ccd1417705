-- A fixture migration set exercising the DDL the catalog must follow, checked against PostgreSQL.
CREATE TYPE shade AS ENUM ('LIGHT', 'DARK');
ALTER TYPE shade ADD VALUE 'MEDIUM' BEFORE 'DARK';
ALTER TYPE shade ADD VALUE IF NOT EXISTS 'LIGHT';

CREATE TABLE owners (
    id         bigserial PRIMARY KEY,
    handle     varchar(32) NOT NULL UNIQUE,
    "Display"  text,
    born       timestamp,
    score      double precision DEFAULT 0,
    ratio      float4,
    price      numeric(10, 2) CHECK (price >= 0),
    tags       text[] NOT NULL DEFAULT '{}',
    shades     shade[],
    seq        integer GENERATED ALWAYS AS IDENTITY,
    handle_len integer GENERATED ALWAYS AS (char_length(handle)) STORED,
    CHECK (score IS NULL OR ratio IS NULL),
    CHECK (ratio > 0)
);

CREATE TABLE items (
    owner_id   bigint NOT NULL REFERENCES owners ON DELETE CASCADE,
    position   smallint NOT NULL,
    label      text DEFAULT NULL,
    shade      shade NOT NULL DEFAULT 'LIGHT',
    obsolete   boolean,
    created    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT items_key PRIMARY KEY (owner_id, position),
    UNIQUE (owner_id, label)
);

CREATE INDEX ON items (shade, created DESC);
CREATE UNIQUE INDEX items_one_dark ON items (owner_id) WHERE shade = 'DARK';
CREATE INDEX items_lower_label ON items (lower(label));
