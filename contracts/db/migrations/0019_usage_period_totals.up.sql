-- The ledger's units per user and period by status, kept up to date by a trigger in the transaction
-- that appends the ledger row (the ledger is append-only), so a quota check reads one row instead of
-- summing every entry of the period — a sum that grew with each task and was read under the user's
-- usage lock on every create. `open_holds` is the one definition of holds not yet settled.
CREATE TABLE usage_period_totals (
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    period_start  timestamptz NOT NULL,
    held          bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    committed     bigint      NOT NULL DEFAULT 0 CHECK (committed >= 0),
    released      bigint      NOT NULL DEFAULT 0 CHECK (released >= 0),
    open_holds    bigint      GENERATED ALWAYS AS (greatest(held - committed - released, 0)) STORED,
    PRIMARY KEY (user_id, period_start)
);

INSERT INTO usage_period_totals (user_id, period_start, held, committed, released)
SELECT user_id, period_start,
       coalesce(sum(units) FILTER (WHERE status = 'HELD'), 0),
       coalesce(sum(units) FILTER (WHERE status = 'COMMITTED'), 0),
       coalesce(sum(units) FILTER (WHERE status = 'RELEASED'), 0)
FROM usage_ledger
GROUP BY user_id, period_start;

CREATE FUNCTION count_usage_ledger_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO usage_period_totals AS t (user_id, period_start, held, committed, released)
    VALUES (NEW.user_id, NEW.period_start,
            CASE WHEN NEW.status = 'HELD' THEN NEW.units ELSE 0 END,
            CASE WHEN NEW.status = 'COMMITTED' THEN NEW.units ELSE 0 END,
            CASE WHEN NEW.status = 'RELEASED' THEN NEW.units ELSE 0 END)
    ON CONFLICT (user_id, period_start) DO UPDATE
        SET held = t.held + EXCLUDED.held, committed = t.committed + EXCLUDED.committed, released = t.released + EXCLUDED.released;
    RETURN NULL;
END
$$;

CREATE TRIGGER usage_ledger_totals AFTER INSERT ON usage_ledger
    FOR EACH ROW EXECUTE FUNCTION count_usage_ledger_entry();

CREATE POLICY usage_period_totals_owner ON usage_period_totals
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY usage_period_totals_system ON usage_period_totals
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE usage_period_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_period_totals FORCE ROW LEVEL SECURITY;
