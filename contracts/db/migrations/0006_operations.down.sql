DROP TABLE account_exports;
DROP TABLE audit_logs;
DROP TABLE dead_letters;
