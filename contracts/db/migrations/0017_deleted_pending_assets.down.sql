UPDATE assets SET uploaded_at = created_at WHERE status = 'DELETED' AND uploaded_at IS NULL;
ALTER TABLE assets DROP CONSTRAINT assets_uploaded;
ALTER TABLE assets ADD CONSTRAINT assets_uploaded CHECK ((status = 'PENDING_UPLOAD') = (uploaded_at IS NULL));
