-- Uploads: an asset leaves PENDING_UPLOAD once, under a row lock, so two uploads to one signed URL
-- cannot both win.

-- name: MarkAssetUploaded :one
-- Marks asset $1 UPLOADED with its decoded size ($2 × $3) and, for a video, its length $4 in
-- milliseconds. No row: it is not PENDING_UPLOAD any more (another upload finished first). The row
-- stays locked until the transaction ends, so the caller stores the file inside the same transaction.
-- params: id, width, height, durationMs
UPDATE assets
SET status = 'UPLOADED', width = $2, height = $3, duration_ms = $4::bigint, received_bytes = size_bytes, upload_id = NULL, uploaded_at = now()
WHERE id = $1 AND status = 'PENDING_UPLOAD'
RETURNING *;

-- name: LockPendingUpload :one
-- Asset $1 locked for a chunk of its upload (chunks of one asset are appended one after another).
SELECT * FROM assets WHERE id = $1 FOR UPDATE;

-- name: RecordReceivedBytes :one
-- The bytes of asset $1's chunked upload received so far are $2 (0 again when a completed file was
-- refused). No row: the asset is not PENDING_UPLOAD.
-- params: id, receivedBytes
UPDATE assets SET received_bytes = $2
WHERE id = $1 AND status = 'PENDING_UPLOAD'
RETURNING *;

-- name: CountAssetTasks :one
-- How many tasks use asset $1 (its file is removed with the last of them).
SELECT count(*) AS tasks FROM tasks WHERE asset_id = $1;

-- name: ShareAssetForTask :one
-- Asset $1 read for a new task, share-locked until the transaction ends: a deletion of the asset
-- waits for the task to be committed (and then deletes it too), and a task created after the
-- deletion reads the asset as DELETED.
SELECT * FROM assets WHERE id = $1 FOR SHARE;

-- name: ListAssetTasks :many
-- Every task made from asset $1, oldest first (deleting the asset deletes them).
SELECT * FROM tasks WHERE asset_id = $1 ORDER BY created_at, id;

-- name: MarkAssetDeleted :one
-- Marks user $2's asset $1 DELETED (whatever it was: pending or uploaded), under the row lock the
-- deletion keeps until it commits. No row: no such live asset of this user.
-- params: id, userId
UPDATE assets SET status = 'DELETED' WHERE id = $1 AND user_id = $2 AND status <> 'DELETED' RETURNING *;

-- name: AbandonExpiredUploads :many
-- Up to $2 video assets still PENDING_UPLOAD $1 seconds after they were created (their upload window
-- is over, their URL no longer works): DELETED, and returned so the bytes they received are removed.
-- params: ageSeconds, limit
UPDATE assets SET status = 'DELETED', received_bytes = 0
WHERE id IN (
    SELECT id FROM assets
    WHERE status = 'PENDING_UPLOAD' AND media_type = 'VIDEO' AND created_at < now() - make_interval(secs => $1::double precision)
    ORDER BY created_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED)
RETURNING *;

-- name: SetAssetUploadId :one
-- Records (or, with NULL, forgets) the multipart upload $2 of pending asset $1. No row: the asset is not
-- PENDING_UPLOAD any more.
-- params: id, uploadId
UPDATE assets SET upload_id = $2::text
WHERE id = $1 AND status = 'PENDING_UPLOAD'
RETURNING *;
