-- 00020_quota_check: quota and protected-land checks the bureau chose to
-- keep (H7, docs/quota-check.md). A check is stored only when asked
-- (`parkplan check --save`, `POST /checks?save=true`): the report as JSON,
-- and each violation as a row with its overlap geometry (null for quota
-- violations and invalid input), so QGIS can show them.

-- +goose Up
CREATE TABLE quota_check (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT now(),
    source       text NOT NULL,
    scenario     text NOT NULL DEFAULT '',
    clean        boolean NOT NULL,
    tolerance_mu double precision NOT NULL CHECK (tolerance_mu >= 0),
    report       jsonb NOT NULL
);

CREATE TABLE quota_check_violation (
    check_id  bigint NOT NULL REFERENCES quota_check (id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('basic_farmland', 'eco_redline', 'outside_dev_boundary',
                                            'invalid_geometry', 'over_quota', 'beyond_official_quota')),
    parcel_id text NOT NULL DEFAULT '',
    town      text NOT NULL DEFAULT '',
    year      integer,
    area_mu   double precision NOT NULL,
    detail    text NOT NULL,
    geom      geometry(MultiPolygon, 4490),
    PRIMARY KEY (check_id, seq)
);
CREATE INDEX quota_check_violation_geom_gix ON quota_check_violation USING gist (geom);

-- +goose Down
DROP TABLE quota_check_violation;
DROP TABLE quota_check;
