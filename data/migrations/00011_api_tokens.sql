-- 00011_api_tokens: bearer tokens for the HTTP API (H6). Only the sha256 of
-- a token is kept; the token itself is printed once by `parkplan token create`.

-- +goose Up
CREATE TABLE api_token (
    id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{8,32}$'),
    name       text NOT NULL DEFAULT '',
    role       text NOT NULL CHECK (role IN ('planner', 'reviewer', 'public')),
    hash       bytea NOT NULL CHECK (length(hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- +goose Down
DROP TABLE api_token;
