-- 00045_dataset_revision: every import makes a new revision of the county
-- dataset, and a plan records the revision it was built on and carries
-- what it needs to be served on its own (issue 10, docs/reliability.md):
-- its parks' polygons, names and figures, its assignments' lines, its
-- unplaced firms' points and its towns' boundaries. A plan built on r12
-- stays what it was after r13 is imported; it is only marked stale.

-- +goose Up
CREATE TABLE dataset_revision (
    revision     integer PRIMARY KEY CHECK (revision >= 1),
    -- sha256 (hex) of the records as the import read them (planner/dataset
    -- ContentHash); '' for the data present before revisions were kept.
    content_hash text NOT NULL CHECK (content_hash = '' OR content_hash ~ '^[0-9a-f]{64}$'),
    imported_at  timestamptz NOT NULL DEFAULT now(),
    imported_by  text NOT NULL DEFAULT '',
    source       text NOT NULL DEFAULT '',
    counts       jsonb NOT NULL DEFAULT '{}'
);
-- Data imported before this migration becomes revision 1.
INSERT INTO dataset_revision (revision, content_hash, imported_by, source)
SELECT 1, '', 'migration 00045', 'data present before revisions were kept'
WHERE EXISTS (SELECT 1 FROM town) OR EXISTS (SELECT 1 FROM parcel) OR EXISTS (SELECT 1 FROM enterprise);

-- The revision a scenario's saved plan was built on (null: no plan, or a
-- plan saved on a database without any import).
ALTER TABLE scenario ADD COLUMN dataset_revision integer;
UPDATE scenario SET dataset_revision = 1
WHERE plan IS NOT NULL AND EXISTS (SELECT 1 FROM dataset_revision);

-- Each plan row carries its own geometry and figures. Rows saved before
-- this migration get them from the data as it is now (null geometry for a
-- row whose parcel or firm is gone already).
ALTER TABLE plan_park ADD COLUMN name text NOT NULL DEFAULT '',
    ADD COLUMN geom geometry(MultiPolygon, 4490);
UPDATE plan_park pp SET name = p.name, geom = p.geom FROM parcel p WHERE p.id = pp.parcel_id;

ALTER TABLE plan_assignment ADD COLUMN industry text NOT NULL DEFAULT '',
    ADD COLUMN size text NOT NULL DEFAULT '',
    ADD COLUMN firm_town text NOT NULL DEFAULT '',
    ADD COLUMN park_town text NOT NULL DEFAULT '',
    ADD COLUMN geom geometry(LineString, 4490);
UPDATE plan_assignment pa SET industry = e.industry, size = e.size, firm_town = e.town, park_town = p.town,
    geom = ST_MakeLine(e.geom, ST_PointOnSurface(p.geom))
FROM enterprise e, parcel p WHERE e.id = pa.enterprise_id AND p.id = pa.parcel_id;

ALTER TABLE plan_unplaced ADD COLUMN town text NOT NULL DEFAULT '',
    ADD COLUMN industry text NOT NULL DEFAULT '',
    ADD COLUMN size text NOT NULL DEFAULT '',
    ADD COLUMN pollution text NOT NULL DEFAULT '',
    ADD COLUMN low_scattered boolean NOT NULL DEFAULT false,
    ADD COLUMN safety_ok boolean NOT NULL DEFAULT false,
    ADD COLUMN geom geometry(Point, 4490);
UPDATE plan_unplaced pu SET town = e.town, industry = e.industry, size = e.size, pollution = e.pollution,
    low_scattered = e.low_scattered, safety_ok = e.safety_ok, geom = e.geom
FROM enterprise e WHERE e.id = pu.enterprise_id;

ALTER TABLE plan_town ADD COLUMN name_zh text NOT NULL DEFAULT '',
    ADD COLUMN geom geometry(MultiPolygon, 4490);
UPDATE plan_town pt SET name_zh = t.name_zh, geom = t.geom FROM town t WHERE t.code = pt.town;

-- +goose Down
ALTER TABLE plan_town DROP COLUMN geom, DROP COLUMN name_zh;
ALTER TABLE plan_unplaced DROP COLUMN geom, DROP COLUMN safety_ok, DROP COLUMN low_scattered,
    DROP COLUMN pollution, DROP COLUMN size, DROP COLUMN industry, DROP COLUMN town;
ALTER TABLE plan_assignment DROP COLUMN geom, DROP COLUMN park_town, DROP COLUMN firm_town,
    DROP COLUMN size, DROP COLUMN industry;
ALTER TABLE plan_park DROP COLUMN geom, DROP COLUMN name;
ALTER TABLE scenario DROP COLUMN dataset_revision;
DROP TABLE dataset_revision;
