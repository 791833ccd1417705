-- Operator queries: dead letters and the audit log.

-- name: ListDeadLetters :many
-- A page of dead letters, newest first, filtered by source, window and task ids, after the keyset ($5, $6).
SELECT * FROM dead_letters
WHERE ($1::text IS NULL OR source = $1::text)
  AND ($2::timestamptz IS NULL OR created_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR created_at < $3::timestamptz)
  AND ($4::uuid[] IS NULL OR task_id = ANY ($4::uuid[]))
  AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $7;

-- name: ReplayableDeadLetters :many
-- The replayable, not yet replayed task dead letters of the tasks $1, locked for the replay.
SELECT * FROM dead_letters
WHERE source = 'TASK' AND replayable AND replayed_at IS NULL AND task_id = ANY ($1::uuid[])
ORDER BY created_at
FOR UPDATE SKIP LOCKED;

-- name: MarkDeadLetterReplayed :execrows
UPDATE dead_letters SET replayed_at = now() WHERE id = $1 AND replayed_at IS NULL;

-- name: SearchAuditLogs :many
-- A page of audit entries, newest first, filtered by actor, action, target and window, after id $7.
SELECT * FROM audit_logs
WHERE ($1::uuid IS NULL OR actor_id = $1::uuid)
  AND ($2::text IS NULL OR action = $2::text)
  AND ($3::text IS NULL OR target_type = $3::text)
  AND ($4::text IS NULL OR target_id = $4::text)
  AND ($5::timestamptz IS NULL OR created_at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR created_at < $6::timestamptz)
  AND ($7::bigint IS NULL OR id < $7::bigint)
ORDER BY id DESC
LIMIT $8;

-- name: AppendAuditLog :one
INSERT INTO audit_logs (actor_id, action, target_type, target_id, detail, request_id)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING *;

-- name: DueAccountDeletions :many
-- Up to $2 users whose deletion was scheduled for $1 or earlier, locked for the purge.
SELECT id FROM users
WHERE status = 'DELETION_SCHEDULED' AND deletion_scheduled_for <= $1
ORDER BY deletion_scheduled_for
LIMIT $2
FOR UPDATE SKIP LOCKED;

-- name: UserStorageKeys :one
-- Every stored file of user $1: uploaded sources, task results and account exports.
SELECT
    ARRAY(SELECT a.storage_key FROM assets AS a WHERE a.user_id = $1)::text[] AS asset_keys,
    ARRAY(SELECT t.result_key FROM tasks AS t WHERE t.user_id = $1 AND t.result_key IS NOT NULL)::text[] AS result_keys,
    ARRAY(SELECT e.storage_key FROM account_exports AS e WHERE e.user_id = $1 AND e.storage_key IS NOT NULL)::text[] AS export_keys;
