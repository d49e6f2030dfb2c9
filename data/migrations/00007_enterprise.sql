-- 00007_enterprise: firms seeking space in a park (H2). Floor in m²,
-- output and tax in 10,000 yuan per mu per year.

-- +goose Up
CREATE TABLE enterprise (
    id            text PRIMARY KEY CHECK (id <> ''),
    town          text NOT NULL REFERENCES town (code),
    industry      text NOT NULL REFERENCES industry (code),
    size          text NOT NULL CHECK (size IN ('micro', 'small', 'medium', 'large')),
    floor_m2      double precision NOT NULL CHECK (floor_m2 > 0 AND floor_m2 < 'Infinity'),
    output_per_mu double precision NOT NULL CHECK (output_per_mu >= 0 AND output_per_mu < 'Infinity'),
    tax_per_mu    double precision NOT NULL CHECK (tax_per_mu >= 0 AND tax_per_mu < 'Infinity'),
    pollution     text NOT NULL CHECK (pollution IN ('light', 'moderate', 'heavy')),
    low_scattered boolean NOT NULL,
    safety_ok     boolean NOT NULL,
    geom          geometry(Point, 4490) NOT NULL CHECK (NOT ST_IsEmpty(geom))
);
CREATE INDEX enterprise_geom_gix ON enterprise USING gist (geom);
CREATE INDEX enterprise_town_idx ON enterprise (town);
CREATE INDEX enterprise_industry_idx ON enterprise (industry);

-- +goose Down
DROP TABLE enterprise;
