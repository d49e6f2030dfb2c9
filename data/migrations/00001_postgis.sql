-- 00001_postgis: the PostGIS extension (H2). Creating it needs a superuser
-- or a database where it already exists (scripts/db.sh creates it).

-- +goose Up
CREATE EXTENSION IF NOT EXISTS postgis;

-- +goose Down
-- The extension is left in place: dropping it needs a superuser and would
-- take along anything else in the database that uses geometry.
SELECT 1;
