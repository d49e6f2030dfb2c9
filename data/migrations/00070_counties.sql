-- 00070_counties: counties (县, 县级市, 市辖区) above towns, so one dataset
-- can hold a province (issue 13). A town is in exactly one county.
-- Geometry in SRID 4490 (CGCS2000 lon/lat). Data without counties is one
-- county, the implied default (Cixi, planner.DefaultCounty): no seat nor
-- boundary of its own (the union of its towns is shown instead), not
-- written back to files nor hashed.

-- +goose Up
CREATE TABLE county (
    code       text PRIMARY KEY CHECK (code <> ''),
    name_zh    text NOT NULL CHECK (name_zh <> ''),
    name_en    text NOT NULL DEFAULT '',
    prefecture text NOT NULL CHECK (prefecture <> ''),   -- 地级市, e.g. 宁波市
    seat       geometry(Point, 4490),
    geom       geometry(MultiPolygon, 4490) CHECK (geom IS NULL OR (NOT ST_IsEmpty(geom) AND ST_IsValid(geom))),
    implied    boolean NOT NULL DEFAULT false,
    CHECK (implied OR (seat IS NOT NULL AND geom IS NOT NULL))
);
CREATE INDEX county_geom_gix ON county USING gist (geom);
CREATE TRIGGER county_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON county
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();

-- Towns imported before counties were kept are in the implied default county.
INSERT INTO county (code, name_zh, name_en, prefecture, implied)
SELECT 'cixi', '慈溪市', 'Cixi', '宁波市', true WHERE EXISTS (SELECT 1 FROM town);
ALTER TABLE town ADD COLUMN county text REFERENCES county (code);
UPDATE town SET county = 'cixi';
ALTER TABLE town ALTER COLUMN county SET NOT NULL, ALTER COLUMN county SET DEFAULT 'cixi';
CREATE INDEX town_county_idx ON town (county);

-- A town written without its county (SQL written before counties, e.g.
-- scripts/bench-api.sql) is in the implied default county, which is made
-- when missing; the importer always names the county and writes it first.
-- +goose StatementBegin
CREATE FUNCTION parkplan_town_default_county() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.county = 'cixi' AND NOT EXISTS (SELECT 1 FROM county WHERE code = 'cixi') THEN
        INSERT INTO county (code, name_zh, name_en, prefecture, implied) VALUES ('cixi', '慈溪市', 'Cixi', '宁波市', true);
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER town_default_county BEFORE INSERT OR UPDATE OF county ON town
    FOR EACH ROW EXECUTE FUNCTION parkplan_town_default_county();

-- +goose Down
DROP TRIGGER town_default_county ON town;
DROP FUNCTION parkplan_town_default_county();
ALTER TABLE town DROP COLUMN county;
DROP TABLE county;
