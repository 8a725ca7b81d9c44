-- 0034 Every node may answer the session check of a request from its memory (SignIn/SessionCache.cs) for a few
-- seconds, so the database tells every node at the commit of anything that ends a session or changes its account:
-- a session ended or deleted, an account deactivated, deleted, or given a new security stamp (new password, changed
-- role). The triggers notify on the channel of the per-node caches (Storage/SharedCache.cs) with ids only, never
-- personal data: 'session:<id>' and 'user:<id>'; a TRUNCATE of either table sends '*', which empties every node's
-- cache. PostgreSQL delivers a notification when its transaction commits and drops it on a rollback, so a revocation
-- reaches the other nodes however it was made — by the application, a job or an operator's SQL.

CREATE FUNCTION identity.notify_session_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cm_cache_invalidation', 'session:' || OLD.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER user_sessions_notify_change
    AFTER UPDATE OF ended_at, user_id, security_stamp OR DELETE ON identity.user_sessions
    FOR EACH ROW EXECUTE FUNCTION identity.notify_session_changed();

CREATE FUNCTION identity.notify_account_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR OLD."IsActive" IS DISTINCT FROM NEW."IsActive"
       OR OLD."SecurityStamp" IS DISTINCT FROM NEW."SecurityStamp" THEN
        PERFORM pg_notify('cm_cache_invalidation', 'user:' || OLD."Id"::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER accounts_notify_change
    AFTER UPDATE OR DELETE ON identity."AspNetUsers"
    FOR EACH ROW EXECUTE FUNCTION identity.notify_account_changed();

CREATE FUNCTION identity.notify_sessions_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cm_cache_invalidation', '*');
    RETURN NULL;
END;
$$;

CREATE TRIGGER user_sessions_notify_truncate
    AFTER TRUNCATE ON identity.user_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION identity.notify_sessions_truncated();

CREATE TRIGGER accounts_notify_truncate
    AFTER TRUNCATE ON identity."AspNetUsers"
    FOR EACH STATEMENT EXECUTE FUNCTION identity.notify_sessions_truncated();
