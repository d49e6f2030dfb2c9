-- 00063_scenario_jobs: a scenario's run is worked as a River job (package
-- jobs, docs/scale.md). job_id is the River job of the current run (null for
-- plans saved by the CLI and runs queued before this migration); attempt is
-- the River attempt that holds the run while it is running: the scenario
-- row accepts progress, a plan or an end only from that attempt, so a
-- worker that was taken for dead and replaced can never overwrite the run.

-- +goose Up
ALTER TABLE scenario ADD COLUMN job_id bigint, ADD COLUMN attempt integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE scenario DROP COLUMN job_id, DROP COLUMN attempt;
