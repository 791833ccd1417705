-- A session's revocation is announced on the `session_revocations` channel (payload: the session's
-- id) when its transaction commits, so every instance of the service stops accepting its tokens at
-- once instead of after its cache of live sessions expires.
CREATE FUNCTION notify_session_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('session_revocations', NEW.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_notify_revoked AFTER UPDATE OF revoked_at ON sessions
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION notify_session_revoked();
