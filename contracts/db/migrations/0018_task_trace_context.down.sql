ALTER TABLE tasks DROP COLUMN trace_parent;
