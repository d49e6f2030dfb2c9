-- 00012_reader_role: the PostgreSQL role the server's read pool connects as
-- (H6, docs/scenario-service.md). parkplan_reader may log in and SELECT; it
-- owns nothing, has no INSERT/UPDATE/DELETE grant and its sessions are
-- read-only by default, so a GET handler cannot write even through a bug.
-- Roles are cluster-wide: the role is created once and reused by every
-- database of the cluster; this migration only grants it this database.
-- Set its password outside the migrations (ALTER ROLE parkplan_reader PASSWORD …)
-- where the server does not use trust authentication.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parkplan_reader') THEN
        CREATE ROLE parkplan_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- another database's migration created it at the same moment
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO parkplan_reader', current_database());
END
$$;
-- +goose StatementEnd
-- ALTER ROLE writes a cluster-wide catalog row: two databases migrating at
-- the same moment (parallel test packages) can fail with "tuple concurrently
-- updated". The setting is idempotent, so retry a few times.
-- +goose StatementBegin
DO $$
BEGIN
    FOR attempt IN 1..50 LOOP
        BEGIN
            ALTER ROLE parkplan_reader SET default_transaction_read_only = on;
            RETURN;
        EXCEPTION WHEN OTHERS THEN
            IF attempt = 50 THEN RAISE; END IF;
            PERFORM pg_sleep(0.05 * attempt);
        END;
    END LOOP;
END
$$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA public TO parkplan_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO parkplan_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO parkplan_reader;
-- token hashes are read only by the writer pool (authentication).
REVOKE ALL ON api_token FROM parkplan_reader;

-- +goose Down
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM parkplan_reader;
REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM parkplan_reader;
REVOKE USAGE ON SCHEMA public FROM parkplan_reader;
-- +goose StatementBegin
DO $$
BEGIN
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM parkplan_reader', current_database());
END
$$;
-- +goose StatementEnd
