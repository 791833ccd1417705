-- Request limits shared by every instance (fixed windows per subject).

-- name: CountRateLimitAttempt :one
-- Counts an attempt of subject $1 in the current window of $2 seconds; the attempts so far in
-- that window (this one included) and when the window began.
-- params: subjectHash, windowSeconds
INSERT INTO rate_limit_counters (subject_hash, window_start, attempts)
VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2::double precision) * $2::double precision), 1)
ON CONFLICT (subject_hash, window_start) DO UPDATE SET attempts = rate_limit_counters.attempts + 1
RETURNING attempts, window_start;

-- name: DeleteExpiredRateLimitWindows :execrows
-- Forgets windows that began more than $1 seconds ago.
-- params: olderThanSeconds
DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => $1::double precision);

-- name: RateLimitAttemptsInWindow :one
-- The attempts of subject $1 in the window that began at $2 (none: no row).
-- params: subjectHash, windowStart
SELECT attempts FROM rate_limit_counters WHERE subject_hash = $1 AND window_start = $2;
