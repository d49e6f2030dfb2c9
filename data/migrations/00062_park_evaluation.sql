-- 00062_park_evaluation: saved park evaluations (评价考核, issue 14), one
-- row per park and year, written by `parkplan evaluate --save` from
-- planner/evaluate; the OGC collection year-{year}.evaluation reads them.
-- Saving a year replaces that year's rows.

-- +goose Up
CREATE TABLE park_evaluation (
    year                  integer NOT NULL,
    park_id               text NOT NULL,
    firms                 integer NOT NULL CHECK (firms >= 0),
    occupancy             double precision NOT NULL,
    specialty_share_firms double precision NOT NULL,
    specialty_share_floor double precision NOT NULL,
    small_micro_share     double precision NOT NULL,
    output_per_mu         double precision NOT NULL,
    tax_per_mu            double precision NOT NULL,
    facilities            double precision NOT NULL,
    floor_use             double precision NOT NULL,
    score                 double precision NOT NULL CHECK (score >= 0 AND score <= 100),
    rating                text NOT NULL,
    trend                 text NOT NULL,
    rules_broken          text[] NOT NULL DEFAULT '{}', -- rule code names, one per broken rule
    broken_detail         text NOT NULL DEFAULT '',     -- the broken rules with their figures, one per line
    history               jsonb NOT NULL,               -- [{year, score, rating}], oldest first
    rubric                text NOT NULL,
    plan                  text NOT NULL DEFAULT '',     -- scenario id of the plan compared, '' for none
    evaluated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, park_id)
);
CREATE TRIGGER park_evaluation_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON park_evaluation
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();

-- The exit list of a year (把好出口; `parkplan evaluate --exit --save`):
-- one row per park with leaving firms or a broken share rule, with its
-- refill. The collection year-{year}.exit reads them.
CREATE TABLE park_exit (
    year                  integer NOT NULL,
    park_id               text NOT NULL,
    specialty             text NOT NULL,
    leaving               jsonb NOT NULL,               -- [{firm_id, industry, floor_m2, reason}]
    broken_now            text NOT NULL DEFAULT '',     -- share rules broken with every firm on record, one per line
    broken_after          text NOT NULL DEFAULT '',     -- … once the leaving firms are gone
    refill                boolean NOT NULL,             -- a refill was computed (a share rule breaks now or after)
    refill_restores       boolean NOT NULL DEFAULT false,
    refill_status         text NOT NULL DEFAULT '',
    free_floor_m2         double precision NOT NULL DEFAULT 0,
    refill_floor_m2       double precision NOT NULL DEFAULT 0,
    refill_firms          jsonb NOT NULL DEFAULT '[]',  -- [{enterprise_id, town, industry, size, floor_m2, distance_km}]
    specialty_share_firms double precision,             -- after the refill
    specialty_share_floor double precision,
    small_micro_share     double precision,
    PRIMARY KEY (year, park_id)
);
CREATE TRIGGER park_exit_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON park_exit
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();

-- +goose Down
DROP TABLE park_exit;
DROP TABLE park_evaluation;
