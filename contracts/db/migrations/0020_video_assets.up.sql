-- Video: MOV and WebM beside MP4, the length of a video asset (read from its header when the upload
-- completes; it decides the quota units a task holds: one per started minute), and the bytes a
-- resumable upload has received so far.
ALTER TABLE assets DROP CONSTRAINT assets_content_type_check;
ALTER TABLE assets ADD CONSTRAINT assets_content_type_check
    CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'video/mp4', 'video/quicktime', 'video/webm'));
ALTER TABLE tasks DROP CONSTRAINT tasks_result_content_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_result_content_type_check
    CHECK (result_content_type IN ('image/png', 'image/jpeg', 'image/webp', 'video/mp4', 'video/quicktime', 'video/webm'));
ALTER TABLE assets ADD COLUMN duration_ms bigint CONSTRAINT assets_duration_ms CHECK (duration_ms > 0);
ALTER TABLE assets ADD COLUMN received_bytes bigint NOT NULL DEFAULT 0
    CONSTRAINT assets_received_bytes CHECK (received_bytes >= 0 AND received_bytes <= size_bytes);
-- The store's id of a video's multipart upload (S3 backend), while it is open.
ALTER TABLE assets ADD COLUMN upload_id text CONSTRAINT assets_upload_id CHECK (char_length(upload_id) BETWEEN 1 AND 1024);
-- A video's mask may be time ranges, each with its own shapes.
ALTER TABLE task_masks ADD COLUMN time_ranges jsonb NOT NULL DEFAULT '[]'::jsonb
    CONSTRAINT task_masks_time_ranges CHECK (jsonb_typeof(time_ranges) = 'array');
ALTER TABLE task_masks DROP CONSTRAINT task_masks_not_empty;
ALTER TABLE task_masks ADD CONSTRAINT task_masks_not_empty
    CHECK (jsonb_array_length(polygons) + jsonb_array_length(strokes) + jsonb_array_length(time_ranges) > 0);
