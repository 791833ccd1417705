ALTER TABLE items ADD COLUMN note text CHECK (char_length(note) < 100);
ALTER TABLE items DROP COLUMN obsolete;
ALTER TABLE items ALTER COLUMN position TYPE integer, ALTER COLUMN label SET NOT NULL;
ALTER TABLE items ALTER COLUMN shade DROP DEFAULT;
ALTER TABLE items RENAME COLUMN label TO title;
ALTER TABLE items ADD CONSTRAINT items_title_length CHECK (char_length(title) BETWEEN 1 AND 80);
ALTER TABLE owners DROP CONSTRAINT owners_check;
ALTER TABLE owners ADD COLUMN parent_id bigint, ADD FOREIGN KEY (parent_id) REFERENCES owners (id) ON DELETE SET NULL;
ALTER TABLE owners RENAME TO accounts;
DROP INDEX items_lower_label;

CREATE TABLE notes (
    id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account  bigint NOT NULL,
    body     jsonb NOT NULL,
    FOREIGN KEY (account) REFERENCES accounts (id)
);
CREATE POLICY notes_all ON notes USING (account > 0);
CREATE POLICY notes_insert ON notes FOR INSERT WITH CHECK (account > 0);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
DROP POLICY notes_insert ON notes;
CREATE TABLE scratch (id int);
DROP TABLE IF EXISTS scratch, nowhere;
INSERT INTO accounts (handle) VALUES ('first');
COMMENT ON TABLE notes IS 'Notes; kept as jsonb.';
