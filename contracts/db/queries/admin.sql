-- Operator queries: dead letters and the audit log.

-- name: ListDeadLetters :many
-- A page of dead letters, newest first, filtered by source, window and task ids, after the keyset ($5, $6).
-- params: source, from, to, taskIds, afterCreatedAt, afterId, limit
SELECT * FROM dead_letters
WHERE ($1::text IS NULL OR source = $1::text)
  AND ($2::timestamptz IS NULL OR created_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR created_at < $3::timestamptz)
  AND ($4::uuid[] IS NULL OR task_id = ANY ($4::uuid[]))
  AND ($5::timestamptz IS NULL OR (created_at, id) < ($5::timestamptz, $6::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $7;

-- name: DeadLettersByIds :many
-- The dead letters $1 (a replay's explicit list), oldest first.
SELECT * FROM dead_letters
WHERE id = ANY ($1::uuid[])
ORDER BY created_at, id;

-- name: MatchDeadLetters :many
-- Up to $5 dead letters not replayed yet, oldest first, filtered by source, window and task ids (a
-- replay's filter).
-- params: source, from, to, taskIds, limit
SELECT * FROM dead_letters
WHERE replayed_at IS NULL
  AND ($1::text IS NULL OR source = $1::text)
  AND ($2::timestamptz IS NULL OR created_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR created_at < $3::timestamptz)
  AND ($4::uuid[] IS NULL OR task_id = ANY ($4::uuid[]))
ORDER BY created_at, id
LIMIT $5;

-- name: MarkDeadLetterReplayed :execrows
-- 0 rows: another replay took it first (or it is not replayable).
UPDATE dead_letters SET replayed_at = now() WHERE id = $1 AND replayed_at IS NULL AND replayable;

-- name: TakeDeadLetterPreview :one
-- Preview $1 marked executed, if it is neither executed nor expired (a replay takes it once; a
-- concurrent replay of the same preview waits for this one's transaction and then finds nothing).
UPDATE dead_letter_previews SET executed_at = now()
WHERE id = $1 AND executed_at IS NULL AND expires_at > now()
RETURNING *;

-- name: PurgeDeadLetterPreviews :execrows
-- Forgets previews that expired more than $1 seconds ago.
-- params: olderThanSeconds
DELETE FROM dead_letter_previews WHERE expires_at < now() - make_interval(secs => $1::double precision);

-- name: PurgeAuditLogs :execrows
-- Removes the audit entries created before $1 (the retention sweep).
DELETE FROM audit_logs WHERE created_at < $1;

-- name: SearchAuditLogs :many
-- A page of audit entries, newest first, filtered by actor, action, target and window, after id $7.
-- params: actorId, action, targetType, targetId, from, to, beforeId, limit
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
