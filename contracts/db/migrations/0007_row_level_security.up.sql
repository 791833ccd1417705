-- Row-level security: a transaction that sets `SET LOCAL app.user_id = '<uuid>'` sees and changes
-- only that user's rows; one that sets `SET LOCAL app.role = 'system'` (workers, admin operations,
-- sign-in before the user is known) sees every row. FORCE applies the policies to the tables'
-- owner too; only superusers and BYPASSRLS roles are exempt, so the service connects as neither.

CREATE POLICY users_self ON users
    USING (id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY users_system ON users
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;

CREATE POLICY sessions_owner ON sessions
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY sessions_system ON sessions
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;

CREATE POLICY subscriptions_owner ON subscriptions
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY subscriptions_system ON subscriptions
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;

CREATE POLICY payments_owner ON payments
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY payments_system ON payments
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;

CREATE POLICY assets_owner ON assets
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY assets_system ON assets
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE assets FORCE ROW LEVEL SECURITY;

CREATE POLICY tasks_owner ON tasks
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY tasks_system ON tasks
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;

CREATE POLICY task_masks_owner ON task_masks
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY task_masks_system ON task_masks
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE task_masks ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_masks FORCE ROW LEVEL SECURITY;

CREATE POLICY task_events_owner ON task_events
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY task_events_system ON task_events
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE task_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_events FORCE ROW LEVEL SECURITY;

CREATE POLICY task_action_keys_owner ON task_action_keys
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY task_action_keys_system ON task_action_keys
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE task_action_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE task_action_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY idempotency_keys_owner ON idempotency_keys
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY idempotency_keys_system ON idempotency_keys
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY usage_ledger_owner ON usage_ledger
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY usage_ledger_system ON usage_ledger
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE usage_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_ledger FORCE ROW LEVEL SECURITY;

CREATE POLICY outbox_events_owner ON outbox_events
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY outbox_events_system ON outbox_events
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE outbox_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_events FORCE ROW LEVEL SECURITY;

CREATE POLICY webhook_endpoints_owner ON webhook_endpoints
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY webhook_endpoints_system ON webhook_endpoints
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;

CREATE POLICY webhook_deliveries_owner ON webhook_deliveries
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY webhook_deliveries_system ON webhook_deliveries
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;

CREATE POLICY dead_letters_owner ON dead_letters
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY dead_letters_system ON dead_letters
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letters FORCE ROW LEVEL SECURITY;

CREATE POLICY account_exports_owner ON account_exports
    USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
    WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
CREATE POLICY account_exports_system ON account_exports
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE account_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_exports FORCE ROW LEVEL SECURITY;

CREATE POLICY payment_callbacks_system ON payment_callbacks
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE payment_callbacks ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_callbacks FORCE ROW LEVEL SECURITY;

CREATE POLICY audit_logs_system ON audit_logs
    USING (current_setting('app.role', true) = 'system')
    WITH CHECK (current_setting('app.role', true) = 'system');
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
