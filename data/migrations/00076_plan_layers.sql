-- 00076_plan_layers: the plan rows carry every property of the plan layers
-- as planner/layers defines them (issue 11, item 5), so the OGC API's
-- scenario collections, the CLI's plan files and the GeoPackage and
-- Shapefile exports carry the same features and properties. From now on
-- data writes these columns from layers.Plan when a plan is saved; the
-- UPDATEs below fill them once for plans saved before, from the data as
-- it is now (their assignment lines already end at ST_PointOnSurface,
-- which geo.PointOnSurface reproduces exactly).

-- +goose Up
ALTER TABLE plan_park ADD COLUMN tier_requirements text NOT NULL DEFAULT '';
UPDATE plan_park SET tier_requirements = CASE tier
    WHEN 'basic' THEN 'basic fire, safety and environmental infrastructure'
    WHEN 'standard' THEN 'independent operator, park management rules, fire/safety/environment/warehousing/logistics infrastructure, business, canteen, dormitory'
    ELSE 'professional management team, digital/smart park management, R&D + production + sales + living, service complex' END;

ALTER TABLE plan_assignment ADD COLUMN floor_m2 double precision NOT NULL DEFAULT 0,
    ADD COLUMN firm_distance_m double precision NOT NULL DEFAULT 0;
UPDATE plan_assignment pa SET floor_m2 = e.floor_m2 FROM enterprise e WHERE e.id = pa.enterprise_id;
UPDATE plan_assignment SET firm_distance_m = ST_Length(geom::geography) WHERE geom IS NOT NULL;

ALTER TABLE plan_unplaced ADD COLUMN floor_m2 double precision NOT NULL DEFAULT 0,
    ADD COLUMN mu_class text NOT NULL DEFAULT '';
UPDATE plan_unplaced pu SET floor_m2 = e.floor_m2, mu_class = coalesce(e.mu_class, '')
FROM enterprise e WHERE e.id = pu.enterprise_id;

ALTER TABLE plan_town ADD COLUMN quota_left_mu double precision NOT NULL DEFAULT 0,
    ADD COLUMN parks_open integer NOT NULL DEFAULT 0,
    ADD COLUMN parks_opening integer NOT NULL DEFAULT 0;
UPDATE plan_town pt SET quota_left_mu = pt.quota_mu - pt.new_land_used_mu,
    parks_open = (SELECT count(*) FROM plan_park q WHERE q.scenario_id = pt.scenario_id AND q.town = pt.town AND q.open_year <= pt.year),
    parks_opening = (SELECT count(*) FROM plan_park q WHERE q.scenario_id = pt.scenario_id AND q.town = pt.town AND q.open_year = pt.year);

-- +goose Down
ALTER TABLE plan_town DROP COLUMN parks_opening, DROP COLUMN parks_open, DROP COLUMN quota_left_mu;
ALTER TABLE plan_unplaced DROP COLUMN mu_class, DROP COLUMN floor_m2;
ALTER TABLE plan_assignment DROP COLUMN firm_distance_m, DROP COLUMN floor_m2;
ALTER TABLE plan_park DROP COLUMN tier_requirements;
