-- 00003_town: towns, subdistricts and zones with their block industries (H2).
-- Geometry in SRID 4490 (CGCS2000 lon/lat).

-- +goose Up
CREATE TABLE town (
    code       text PRIMARY KEY CHECK (code <> ''),
    name_zh    text NOT NULL CHECK (name_zh <> ''),
    name_en    text NOT NULL DEFAULT '',
    type       text NOT NULL CHECK (type IN ('town', 'subdistrict', 'zone')),
    -- block industry codes (一镇一业), main first; checked against industry by the importer
    industries text[] NOT NULL CHECK (cardinality(industries) >= 1),
    seat       geometry(Point, 4490) NOT NULL,
    geom       geometry(MultiPolygon, 4490) NOT NULL CHECK (NOT ST_IsEmpty(geom) AND ST_IsValid(geom)),
    synthetic  boolean NOT NULL DEFAULT false
);
CREATE INDEX town_geom_gix ON town USING gist (geom);

-- +goose Down
DROP TABLE town;
