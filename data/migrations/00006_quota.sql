-- 00006_quota: each town's yearly new construction land quota for parks, mu (H2).

-- +goose Up
CREATE TABLE quota (
    town        text NOT NULL REFERENCES town (code),
    year        integer NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    new_land_mu double precision NOT NULL CHECK (new_land_mu >= 0 AND new_land_mu < 'Infinity'),
    PRIMARY KEY (town, year)
);

-- +goose Down
DROP TABLE quota;
