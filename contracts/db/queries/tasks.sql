-- Queries of the task pipeline beyond plain CRUD. The queue is PostgreSQL itself: claiming uses
-- FOR UPDATE SKIP LOCKED on the partial index tasks_runnable_idx, so workers never block each other.

-- name: ClaimNextTasks :many
-- Takes up to $2 runnable QUEUED tasks of media type $4 for worker $1, moves them to PREPROCESSING
-- with a lease of $3 seconds and a new attempt, and appends their task events, in one statement.
-- (Image and video tasks are claimed by separate worker slots, so videos never starve images.)
-- params: leaseOwner, limit, leaseSeconds, mediaType
WITH next AS (
    SELECT id
    FROM tasks
    WHERE status = 'QUEUED' AND next_run_at <= now() AND media_type = $4
    ORDER BY next_run_at, created_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE tasks AS t
    SET status = 'PREPROCESSING',
        progress = 0,
        lease_owner = $1,
        lease_expires_at = now() + make_interval(secs => $3::double precision),
        heartbeat_at = now(),
        next_run_at = NULL,
        attempt = t.attempt + 1,
        started_at = coalesce(t.started_at, now()),
        version = t.version + 1,
        updated_at = now()
    FROM next
    WHERE t.id = next.id
    RETURNING t.*
), event AS (
    INSERT INTO task_events (task_id, user_id, sequence, status, progress, attempt, error_code)
    SELECT c.id, c.user_id, coalesce((SELECT max(e.sequence) FROM task_events AS e WHERE e.task_id = c.id), 0) + 1,
           c.status, c.progress, c.attempt, NULL
    FROM claimed AS c
    RETURNING id
)
SELECT * FROM claimed;

-- name: HeartbeatTask :execrows
-- Renews the lease of task $1 held by worker $2 for $3 more seconds. 0 rows: the lease was lost
-- (recovered by another worker) or the task was canceled; the worker must stop.
-- params: id, leaseOwner, leaseSeconds
UPDATE tasks
SET lease_expires_at = now() + make_interval(secs => $3::double precision),
    heartbeat_at = now()
WHERE id = $1
  AND lease_owner = $2
  AND status IN ('PREPROCESSING', 'DETECTING', 'INPAINTING', 'PACKAGING');

-- name: LockExpiredLeases :many
-- Up to $1 running tasks whose lease expired (their worker died or stalled), locked for the
-- recovery that re-queues or fails each one through the state machine in the same transaction.
SELECT * FROM tasks
WHERE lease_owner IS NOT NULL AND lease_expires_at < now()
ORDER BY lease_expires_at
LIMIT $1
FOR UPDATE SKIP LOCKED;

-- name: MoveTask :one
-- Stores a move `TaskStateMachine` decided for task $1 read at version $2 — status $3, progress
-- $4, retries $5, mask version $6, lease ($7 owner, $8 expiry, $9 heartbeat), next run $10,
-- error ($11 code, $12 message), result ($13 key, $14 content type, $15 size, $16 expiry) and
-- finish time $17 — and appends the task event of the move, in one statement (atomic on its own,
-- so a worker needs no transaction for a stage change). No row: the version is stale (someone
-- else changed the task first) or the task is gone.
WITH moved AS (
    UPDATE tasks
    SET status = $3,
        progress = $4,
        retries = $5,
        mask_version = $6,
        lease_owner = $7,
        lease_expires_at = $8,
        heartbeat_at = $9,
        next_run_at = $10,
        error_code = $11,
        error_message = $12,
        result_key = $13,
        result_content_type = $14,
        result_size_bytes = $15,
        result_expire_at = $16,
        finished_at = $17,
        version = version + 1,
        updated_at = now()
    WHERE id = $1 AND version = $2
    RETURNING *
), event AS (
    INSERT INTO task_events (task_id, user_id, sequence, status, progress, attempt, error_code)
    SELECT m.id, m.user_id, coalesce((SELECT max(e.sequence) FROM task_events AS e WHERE e.task_id = m.id), 0) + 1,
           m.status, m.progress, m.attempt, m.error_code
    FROM moved AS m
    RETURNING id
)
SELECT * FROM moved;

-- name: CreateTaskWithHold :one
-- Creates task $1 of user $2 with the unit of quota it holds, in one statement, so the user's usage lock
-- (`LockUserUsage`, taken just before) is held for as few round trips as possible. When the user's ACTIVE
-- subscription is in its current period, its plan includes mode $5 and the period has a unit left (committed
-- units plus open holds below the plan's quota, read from `usage_period_totals` as `UsageForPeriod` reads
-- them), it holds the unit (source `create`), inserts the task in the first state the state machine decided
-- (status $7, version $8, next run $9, mask version $10), its events (UPLOADED, then status $7 when it is
-- another), its mask (polygons $11 and strokes $12, when mask version $10 is not 0) and its outbox events
-- (`task.created`, and `task.queued` when queued, both with payload $13); $14 is the trace context the task
-- keeps (`traceparent`), when the request was traced.
-- No row: nothing was written (no unit left, the plan lacks the mode, or the period has ended); the caller
-- finds out which under the same lock. $15 is the number of units the task holds (1 for an image, one per
-- started minute for a video); $16 a video mask's time ranges (an empty array otherwise).
-- params: id, userId, assetId, mediaType, mode, autoDetect, status, version, nextRunAt, maskVersion, polygons, strokes, payload, traceParent, units, timeRanges
WITH period AS (
    SELECT s.current_period_start, p.quota_per_period
    FROM subscriptions AS s
    JOIN plans AS p ON p.code = s.plan_code
    WHERE s.user_id = $2 AND s.status = 'ACTIVE' AND s.current_period_end > now() AND $5 = ANY (p.modes)
), usage AS (
    SELECT coalesce((
        SELECT (t.committed + t.open_holds)::bigint AS units FROM usage_period_totals AS t
        WHERE t.user_id = $2 AND t.period_start = period.current_period_start), 0) AS units
    FROM period
), hold AS (
    INSERT INTO usage_ledger (user_id, task_id, status, source, units, period_start)
    SELECT $2, $1, 'HELD', 'create', $15::integer, period.current_period_start
    FROM period, usage
    WHERE usage.units + $15::integer <= period.quota_per_period
    RETURNING task_id
), created AS (
    INSERT INTO tasks (id, user_id, asset_id, media_type, mode, auto_detect, status, version, next_run_at, mask_version, trace_parent)
    SELECT hold.task_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $14
    FROM hold
    RETURNING *
), events AS (
    INSERT INTO task_events (task_id, user_id, sequence, status, progress, attempt)
    SELECT created.id, created.user_id, 1, 'UPLOADED', 0, 0 FROM created
    UNION ALL
    SELECT created.id, created.user_id, 2, created.status, 0, 0 FROM created WHERE created.status <> 'UPLOADED'
    RETURNING id
), mask AS (
    INSERT INTO task_masks (task_id, user_id, version, polygons, strokes, time_ranges)
    SELECT created.id, created.user_id, created.mask_version, $11, $12, $16::jsonb
    FROM created
    WHERE created.mask_version > 0
    RETURNING task_id
), outbox AS (
    INSERT INTO outbox_events (user_id, aggregate_type, aggregate_id, event_type, payload)
    SELECT created.user_id, 'task', created.id, 'task.created', $13::jsonb FROM created
    UNION ALL
    SELECT created.user_id, 'task', created.id, 'task.queued', $13::jsonb FROM created WHERE created.status = 'QUEUED'
    RETURNING id
)
SELECT * FROM created;

-- name: ListTaskEventsAfter :many
-- The events of task $1 after sequence $2, in order (the events stream and its resumption).
SELECT * FROM task_events
WHERE task_id = $1 AND sequence > $2
ORDER BY sequence
LIMIT 1000;

-- name: ListUserTasks :many
-- A page of user $1's tasks, newest first, optionally of status $2, after the keyset ($3, $4).
-- params: userId, status, afterCreatedAt, afterId, limit
SELECT * FROM tasks
WHERE user_id = $1
  AND ($2::task_status IS NULL OR status = $2::task_status)
  AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $5;

-- name: AdminSearchTasks :many
-- A page of all tasks, newest first, filtered by user, status, creation window and error code, after
-- the keyset ($6, $7).
-- params: userId, status, from, to, limit, afterCreatedAt, afterId, errorCode
SELECT * FROM tasks
WHERE ($1::uuid IS NULL OR user_id = $1::uuid)
  AND ($2::task_status IS NULL OR status = $2::task_status)
  AND ($3::timestamptz IS NULL OR created_at >= $3::timestamptz)
  AND ($4::timestamptz IS NULL OR created_at < $4::timestamptz)
  AND ($6::timestamptz IS NULL OR (created_at, id) < ($6::timestamptz, $7::uuid))
  AND ($8::integer IS NULL OR error_code = $8::integer)
ORDER BY created_at DESC, id DESC
LIMIT $5;

-- name: ListAllTaskEvents :many
-- Every event of task $1, in order (an operator's view of its history).
SELECT * FROM task_events
WHERE task_id = $1
ORDER BY sequence;

-- name: ExpiredResults :many
-- Up to $1 succeeded tasks whose result passed its expiry and whose file is still stored, for the
-- sweeper that removes the files.
SELECT id, user_id, result_key FROM tasks
WHERE result_key IS NOT NULL AND result_removed_at IS NULL AND result_expire_at < now()
ORDER BY result_expire_at
LIMIT $1;

-- name: MarkResultRemoved :execrows
-- Records that the file of task $1's expired result was removed from storage.
UPDATE tasks SET result_removed_at = now()
WHERE id = $1 AND result_key IS NOT NULL AND result_removed_at IS NULL;

-- name: CountQueuedTasks :one
-- Tasks waiting in the queue (runnable now or later), for the queue_depth gauge.
SELECT count(*) AS queued FROM tasks WHERE status = 'QUEUED';

-- name: RemindExpiringResults :many
-- Up to $2 stored results that expire within the next $1 seconds (not already expired) and were not
-- announced yet, marked as announced (each once, whichever sweeper takes it), for the
-- `task.result_expiring` event.
-- params: leadSeconds, limit
UPDATE tasks SET result_reminded_at = now()
WHERE id IN (
    SELECT id FROM tasks
    WHERE result_key IS NOT NULL AND result_removed_at IS NULL AND result_reminded_at IS NULL
      AND result_expire_at > now() AND result_expire_at < now() + make_interval(secs => $1::double precision)
    ORDER BY result_expire_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED)
RETURNING *;
