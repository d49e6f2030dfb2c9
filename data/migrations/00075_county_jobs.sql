-- 00075_county_jobs: a province round's county solves are River jobs
-- (package jobs, docs/scale-jobs.md); each job's answer, the county's
-- planner.CountyResult, is stored here in the transaction that completes
-- the job, by the attempt that holds it. job_id is the key: one result per
-- task, whatever the number of workers or attempts. batch and task_index
-- name the task in the coordinator's call (one batch per call), province,
-- round and county repeat the task for people and the province view.
-- result is json (not jsonb): the bytes the worker wrote, read back as they
-- were.

-- +goose Up
CREATE TABLE county_job_result (
    job_id       bigint PRIMARY KEY,
    attempt      integer NOT NULL CHECK (attempt >= 1),
    batch        text NOT NULL,
    task_index   integer NOT NULL CHECK (task_index >= 0),
    province     text NOT NULL,
    round        integer NOT NULL,
    county       text NOT NULL,
    worker       text NOT NULL,
    revision     integer NOT NULL,
    data_changed boolean NOT NULL DEFAULT false,
    result       json NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch, task_index)
);
CREATE INDEX county_job_result_province ON county_job_result (province, round);

-- +goose Down
DROP TABLE county_job_result;
