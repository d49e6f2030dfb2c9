-- 00061_monitoring: the yearly monitoring record of open parks (动态监管,
-- issue 14): per year, each park's facts and the firms actually in it.
-- Each year is kept (history); importing a year again replaces that year.
-- Park ids are parcel ids, checked by the importer rather than by a
-- foreign key, so that a dataset re-import does not erase the history.

-- +goose Up
CREATE TABLE monitoring_park (
    year            integer NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    park_id         text NOT NULL CHECK (park_id <> ''),
    floor_built_m2  double precision NOT NULL CHECK (floor_built_m2 >= 0 AND floor_built_m2 < 'Infinity'),
    floor_vacant_m2 double precision NOT NULL CHECK (floor_vacant_m2 >= 0 AND floor_vacant_m2 <= floor_built_m2),
    facilities      text[] NOT NULL DEFAULT '{}',
    imported_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, park_id)
);

CREATE TABLE monitoring_firm (
    year       integer NOT NULL,
    firm_id    text NOT NULL CHECK (firm_id <> ''),
    park_id    text NOT NULL,
    industry   text NOT NULL,
    size       text NOT NULL CHECK (size IN ('micro', 'small', 'medium', 'large')),
    floor_m2   double precision NOT NULL CHECK (floor_m2 > 0 AND floor_m2 < 'Infinity'),
    output_wan double precision NOT NULL CHECK (output_wan >= 0 AND output_wan < 'Infinity'),
    tax_wan    double precision NOT NULL CHECK (tax_wan >= 0 AND tax_wan < 'Infinity'),
    mu_class   text CHECK (mu_class IN ('A', 'B', 'C', 'D')),
    -- one park per firm and year
    PRIMARY KEY (year, firm_id),
    FOREIGN KEY (year, park_id) REFERENCES monitoring_park (year, park_id) ON DELETE CASCADE
);
CREATE INDEX monitoring_firm_park_idx ON monitoring_firm (year, park_id);

-- +goose Down
DROP TABLE monitoring_firm;
DROP TABLE monitoring_park;
