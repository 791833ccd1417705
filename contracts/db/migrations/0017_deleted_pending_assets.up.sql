-- An asset deleted before its bytes arrived is DELETED without an upload time: the upload check
-- applies to live assets only (it refused the deletion of a PENDING_UPLOAD asset with a 500).
ALTER TABLE assets DROP CONSTRAINT assets_uploaded;
ALTER TABLE assets ADD CONSTRAINT assets_uploaded CHECK (status = 'DELETED' OR (status = 'PENDING_UPLOAD') = (uploaded_at IS NULL));
