-- 00010_scenarios: saved scenarios, their run state and their plans (H6).
-- A plan is written in one transaction (data/scenarios.go); plan rows carry
-- no geometry here: migration 00045 adds it (a plan carries its own).

-- +goose Up
CREATE TABLE scenario (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]*$' AND length(id) <= 80),
    name        text NOT NULL UNIQUE,
    spec        jsonb NOT NULL,
    status      text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    published   boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- run counts the runs started; a result is saved only by the run that is current.
    run         integer NOT NULL DEFAULT 0,
    queued_at   timestamptz,
    started_at  timestamptz,
    finished_at timestamptz,
    created_by  text NOT NULL DEFAULT '',
    -- plan is the saved plan without its row tables (parks, assignments,
    -- unplaced live in plan_* below); null until a run is done.
    plan        jsonb,
    error       text NOT NULL DEFAULT '',
    progress    jsonb
);
CREATE INDEX scenario_status_idx ON scenario (status);

CREATE TABLE plan_park (
    scenario_id           text NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    parcel_id             text NOT NULL,
    town                  text NOT NULL,
    kind                  text NOT NULL,
    specialty             text NOT NULL,
    open_year             integer NOT NULL,
    tier                  text NOT NULL,
    locked                boolean NOT NULL,
    area_mu               double precision NOT NULL,
    far                   double precision NOT NULL,
    capacity_m2           double precision NOT NULL,
    floor_used_m2         double precision NOT NULL,
    firms                 integer NOT NULL,
    small_micro_share     double precision NOT NULL,
    specialty_firm_share  double precision NOT NULL,
    specialty_floor_share double precision NOT NULL,
    output_wan            double precision NOT NULL,
    cost_wan              double precision NOT NULL,
    PRIMARY KEY (scenario_id, parcel_id)
);

CREATE TABLE plan_assignment (
    scenario_id   text NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    enterprise_id text NOT NULL,
    parcel_id     text NOT NULL,
    distance_m    double precision NOT NULL,
    PRIMARY KEY (scenario_id, enterprise_id)
);
CREATE INDEX plan_assignment_park_idx ON plan_assignment (scenario_id, parcel_id);

CREATE TABLE plan_unplaced (
    scenario_id   text NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    enterprise_id text NOT NULL,
    reason        text NOT NULL,
    PRIMARY KEY (scenario_id, enterprise_id)
);

CREATE TABLE plan_town (
    scenario_id      text NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
    town             text NOT NULL,
    year             integer NOT NULL,
    quota_mu         double precision NOT NULL,
    new_land_used_mu double precision NOT NULL,
    old_factory_mu   double precision NOT NULL,
    PRIMARY KEY (scenario_id, town, year)
);

-- +goose Down
DROP TABLE plan_town;
DROP TABLE plan_unplaced;
DROP TABLE plan_assignment;
DROP TABLE plan_park;
DROP TABLE scenario;
