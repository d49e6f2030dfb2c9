-- 00077_violation_parks: a saved check's violations carry the parks of a
-- quota violation (the new-land parks of that town and year), so the OGC
-- API's violations collections carry every property of the check layer
-- of planner/layers, as `parkplan check --out`'s violations.geojson does
-- (issue 11, item 5). Checks saved before keep an empty list.

-- +goose Up
ALTER TABLE quota_check_violation ADD COLUMN parks jsonb NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE quota_check_violation DROP COLUMN parks;
