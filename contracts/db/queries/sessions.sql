-- Users, sessions and rotating refresh tokens.

-- name: FindUserByEmail :one
-- The user whose email is $1, compared case-insensitively (as `users_email_key` is).
-- params: email
SELECT * FROM users WHERE lower(email) = lower($1::text);

-- name: RotateRefreshToken :one
-- Replaces refresh token hash $1 by $2 on a live session; no row when $1 is not current.
UPDATE sessions
SET previous_refresh_token_hash = refresh_token_hash,
    refresh_token_hash = $2,
    last_used_at = now(),
    version = version + 1
WHERE refresh_token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
RETURNING *;

-- name: FindSessionByPreviousToken :one
-- The session whose previous refresh token is $1: a replayed (possibly stolen) token.
SELECT * FROM sessions WHERE previous_refresh_token_hash = $1;

-- name: RevokeUserSessions :execrows
-- Revokes every live session of user $1 for reason $2.
UPDATE sessions SET revoked_at = now(), revoked_reason = $2
WHERE user_id = $1 AND revoked_at IS NULL;
