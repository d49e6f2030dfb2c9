-- 00071_province: saved provincial plans (issue 13; planner.ProvinceStore,
-- data/provinces.go). The scenario and the result are kept whole as jsonb;
-- each county's allocation of the pool in each year is also a row, so SQL
-- and GIS users can join the figures to counties (county.code) — the
-- province-{id}.allocation collection does. The county plans themselves
-- are ordinary scenarios (scenario_id). No foreign key to county: a plan
-- stays what it was after a later import drops a county.

-- +goose Up
CREATE TABLE province (
    id               text PRIMARY KEY CHECK (id <> ''),
    name             text NOT NULL DEFAULT '',          -- the province scenario's name
    scenario         jsonb NOT NULL,                    -- planner.ProvinceScenario
    result           jsonb,                             -- planner.ProvinceResult, null until solved
    dataset_revision integer NOT NULL DEFAULT 0 CHECK (dataset_revision >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text NOT NULL DEFAULT '',
    saved_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE province_allocation (
    province_id    text NOT NULL REFERENCES province (id) ON DELETE CASCADE,
    county         text NOT NULL CHECK (county <> ''),
    year           integer NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    request_mu     double precision NOT NULL CHECK (request_mu >= 0 AND request_mu < 'Infinity'),
    allocated_mu   double precision NOT NULL CHECK (allocated_mu >= 0 AND allocated_mu < 'Infinity'),
    used_mu        double precision NOT NULL CHECK (used_mu >= 0 AND used_mu < 'Infinity'),
    marginal_value double precision NOT NULL CHECK (marginal_value > '-Infinity' AND marginal_value < 'Infinity'),
    release_value  double precision NOT NULL CHECK (release_value > '-Infinity' AND release_value < 'Infinity'),
    scenario_id    text NOT NULL DEFAULT '',            -- the county's plan (CountyOutcome.ScenarioID)
    PRIMARY KEY (province_id, county, year)
);

CREATE TRIGGER province_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON province
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER province_allocation_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON province_allocation
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();

-- +goose Down
DROP TABLE province_allocation;
DROP TABLE province;
