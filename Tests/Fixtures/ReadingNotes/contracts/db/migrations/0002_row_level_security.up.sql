-- Row-level security: a transaction that sets `app.user_id` (set_config(..., true)) sees and changes
-- only that reader's rows, whatever its statements say; one that sets `app.role = 'system'` sees every
-- row. FORCE applies the policies to the tables' owner too (only superusers and BYPASSRLS roles are exempt).

CREATE POLICY books_owner ON books
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY books_system ON books
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE books ENABLE ROW LEVEL SECURITY;
ALTER TABLE books FORCE ROW LEVEL SECURITY;

CREATE POLICY notes_owner ON notes
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY notes_system ON notes
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;

CREATE POLICY highlights_owner ON highlights
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY highlights_system ON highlights
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE highlights ENABLE ROW LEVEL SECURITY;
ALTER TABLE highlights FORCE ROW LEVEL SECURITY;
