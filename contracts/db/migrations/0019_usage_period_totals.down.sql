DROP TRIGGER usage_ledger_totals ON usage_ledger;
DROP FUNCTION count_usage_ledger_entry();
DROP TABLE usage_period_totals;
