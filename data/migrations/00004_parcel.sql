-- 00004_parcel: parks and candidate parcels (H2). Areas in mu, floor in m²,
-- cost in 10,000 yuan. A double precision 'NaN' compares above 'Infinity'
-- in PostgreSQL, so "< 'Infinity'" rejects NaN and ∞ alike.

-- +goose Up
CREATE TABLE parcel (
    id        text PRIMARY KEY CHECK (id <> ''),
    town      text NOT NULL REFERENCES town (code),
    kind      text NOT NULL CHECK (kind IN ('existing', 'under_construction', 'new_land', 'old_factory')),
    name      text NOT NULL DEFAULT '',
    area_mu   double precision NOT NULL CHECK (area_mu > 0 AND area_mu < 'Infinity'),
    far       double precision NOT NULL CHECK (far > 0 AND far < 'Infinity'),
    cost_wan  double precision NOT NULL CHECK (cost_wan >= 0 AND cost_wan < 'Infinity'),
    floor_m2  double precision NOT NULL CHECK (floor_m2 >= 0 AND floor_m2 < 'Infinity'),
    firms     integer NOT NULL CHECK (firms >= 0),
    specialty text REFERENCES industry (code),
    open_year integer CHECK (open_year BETWEEN 1949 AND 2100),
    geom      geometry(MultiPolygon, 4490) NOT NULL CHECK (NOT ST_IsEmpty(geom) AND ST_IsValid(geom))
);
CREATE INDEX parcel_geom_gix ON parcel USING gist (geom);
CREATE INDEX parcel_town_idx ON parcel (town);

-- +goose Down
DROP TABLE parcel;
