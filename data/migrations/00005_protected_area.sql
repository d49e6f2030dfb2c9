-- 00005_protected_area: protected land (三区三线) (H2): permanent basic
-- farmland, the ecological red line, the urban development boundary.

-- +goose Up
CREATE TABLE protected_area (
    id   text PRIMARY KEY CHECK (id <> ''),
    kind text NOT NULL CHECK (kind IN ('basic_farmland', 'eco_redline', 'dev_boundary')),
    name text NOT NULL DEFAULT '',
    geom geometry(MultiPolygon, 4490) NOT NULL CHECK (NOT ST_IsEmpty(geom) AND ST_IsValid(geom))
);
CREATE INDEX protected_area_geom_gix ON protected_area USING gist (geom);
CREATE INDEX protected_area_kind_idx ON protected_area (kind);

-- +goose Down
DROP TABLE protected_area;
