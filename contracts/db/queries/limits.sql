-- Request limits shared by every instance (fixed windows per subject).

-- name: CountRateLimitAttempt :one
-- Counts an attempt of subject $1 in the current window of $2 seconds; the attempts so far in
-- that window (this one included), when the window began, and the attempts of the window before
-- it (0 when there were none), so a limit is judged with one statement.
-- params: subjectHash, windowSeconds
INSERT INTO rate_limit_counters AS c (subject_hash, window_start, attempts)
VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2::double precision) * $2::double precision), 1)
ON CONFLICT (subject_hash, window_start) DO UPDATE SET attempts = c.attempts + 1
RETURNING c.attempts, c.window_start, coalesce((
    SELECT p.attempts FROM rate_limit_counters AS p
    WHERE p.subject_hash = c.subject_hash
      AND p.window_start = c.window_start - make_interval(secs => $2::double precision)), 0) AS previous_attempts;

-- name: DeleteExpiredRateLimitWindows :execrows
-- Forgets windows that began more than $1 seconds ago.
-- params: olderThanSeconds
DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => $1::double precision);
