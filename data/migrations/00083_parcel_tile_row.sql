-- +goose Up
-- Each parcel's tile row: its tile properties and geometry as the
-- parcels layer's vector tiles read them, encoded by PostgreSQL when the
-- row is written (data/features_tilerow.go: each property as a 4-byte
-- length, -1 for NULL, and its bytes — text, float8send, int8send —
-- then the WKB). The expression is tileRowExpr of the parcels layer;
-- TestTileRowMigration checks that they agree.
ALTER TABLE parcel ADD COLUMN tile_row bytea NOT NULL GENERATED ALWAYS AS (
    coalesce(int4send(octet_length(id::text)) || replace(id::text, '\', '\\')::bytea, '\xffffffff'::bytea)
    || coalesce(int4send(octet_length(town::text)) || replace(town::text, '\', '\\')::bytea, '\xffffffff'::bytea)
    || coalesce(int4send(octet_length(kind::text)) || replace(kind::text, '\', '\\')::bytea, '\xffffffff'::bytea)
    || coalesce(int4send(octet_length(name::text)) || replace(name::text, '\', '\\')::bytea, '\xffffffff'::bytea)
    || coalesce('\x00000008'::bytea || float8send(area_mu::double precision), '\xffffffff'::bytea)
    || coalesce('\x00000008'::bytea || float8send(far::double precision), '\xffffffff'::bytea)
    || coalesce('\x00000008'::bytea || float8send(cost_wan::double precision), '\xffffffff'::bytea)
    || coalesce('\x00000008'::bytea || float8send(floor_m2::double precision), '\xffffffff'::bytea)
    || coalesce('\x00000008'::bytea || int8send(firms::bigint), '\xffffffff'::bytea)
    || coalesce(int4send(octet_length(specialty::text)) || replace(specialty::text, '\', '\\')::bytea, '\xffffffff'::bytea)
    || coalesce('\x00000008'::bytea || int8send(open_year::bigint), '\xffffffff'::bytea)
    || ST_AsBinary(geom)
) STORED;

-- +goose Down
ALTER TABLE parcel DROP COLUMN tile_row;
