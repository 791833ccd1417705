DELETE FROM task_masks WHERE jsonb_array_length(polygons) + jsonb_array_length(strokes) = 0;
ALTER TABLE task_masks DROP CONSTRAINT task_masks_not_empty;
ALTER TABLE task_masks ADD CONSTRAINT task_masks_not_empty CHECK (jsonb_array_length(polygons) + jsonb_array_length(strokes) > 0);
ALTER TABLE task_masks DROP COLUMN time_ranges;
ALTER TABLE assets DROP COLUMN upload_id;
ALTER TABLE assets DROP COLUMN received_bytes;
ALTER TABLE assets DROP COLUMN duration_ms;
DELETE FROM tasks WHERE result_content_type IN ('video/quicktime', 'video/webm');
DELETE FROM assets WHERE content_type IN ('video/quicktime', 'video/webm');
ALTER TABLE tasks DROP CONSTRAINT tasks_result_content_type_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_result_content_type_check
    CHECK (result_content_type IN ('image/png', 'image/jpeg', 'image/webp', 'video/mp4'));
ALTER TABLE assets DROP CONSTRAINT assets_content_type_check;
ALTER TABLE assets ADD CONSTRAINT assets_content_type_check
    CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'video/mp4'));
