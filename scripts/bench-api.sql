-- bench-api.sql — a reproducible synthetic county for the API benchmark and
-- the API tests: 4 towns on a 0.4° × 0.4° square near Cixi (121.0–121.4 E,
-- 30.0–30.4 N, EPSG:4490), {{parcels}} square parcels on a regular grid
-- (ids P000001 …, kinds cycling existing, under_construction, new_land,
-- old_factory), one enterprise per 10 parcels, 3 protected areas, quotas.
-- Deterministic: the same bytes every run (no random()). {{parcels}} is
-- replaced by the caller (scripts/bench-api.sh, cmd/parkplan tests).
BEGIN;
INSERT INTO industry (code, name_zh, name_en) VALUES
  ('textile', '纺织', 'textiles'), ('hardware', '五金', 'hardware'), ('appliance', '家电', 'appliances');
INSERT INTO industry_related (industry, related) VALUES ('hardware', 'appliance'), ('appliance', 'hardware');
INSERT INTO town (code, name_zh, name_en, type, industries, seat, geom, synthetic)
SELECT 't' || q, '镇' || q, 'Town ' || q, 'town',
       ARRAY[(ARRAY['textile', 'hardware', 'appliance', 'hardware'])[q + 1]],
       ST_SetSRID(ST_MakePoint(121.1 + 0.2 * (q % 2), 30.1 + 0.2 * (q / 2)), 4490),
       ST_Multi(ST_MakeEnvelope(121.0 + 0.2 * (q % 2), 30.0 + 0.2 * (q / 2), 121.2 + 0.2 * (q % 2), 30.2 + 0.2 * (q / 2), 4490)),
       true
FROM generate_series(0, 3) q;
INSERT INTO quota (town, year, new_land_mu)
SELECT 't' || q, y, 50 + 10 * q FROM generate_series(0, 3) q, generate_series(2019, 2022) y;
-- Grid of side n = ceil(sqrt(parcels)); cell c = 0.4 / n degrees; parcel = inner 60 % of its cell.
INSERT INTO parcel (id, town, kind, name, area_mu, far, cost_wan, floor_m2, firms, specialty, open_year, geom)
SELECT 'P' || lpad(i::text, 6, '0'),
       't' || ((CASE WHEN x < 121.2 THEN 0 ELSE 1 END) + (CASE WHEN y < 30.2 THEN 0 ELSE 2 END)),
       (ARRAY['existing', 'under_construction', 'new_land', 'old_factory'])[i % 4 + 1],
       CASE WHEN i % 7 = 0 THEN 'Park ' || i ELSE '' END,
       20 + (i % 50) * 5.5, 1.5 + (i % 5) * 0.4, 500 + (i % 13) * 120, CASE WHEN i % 4 < 2 THEN 10000 + (i % 9) * 2500 ELSE 0 END,
       CASE WHEN i % 4 < 2 THEN 5 + i % 30 ELSE 0 END,
       CASE WHEN i % 4 < 2 THEN (ARRAY['textile', 'hardware', 'appliance'])[i % 3 + 1] END,
       CASE WHEN i % 4 = 0 THEN 2010 + i % 9 WHEN i % 4 = 1 THEN 2019 + i % 2 END,
       ST_Multi(ST_MakeEnvelope(x + 0.2 * c, y + 0.2 * c, x + 0.8 * c, y + 0.8 * c, 4490))
FROM (SELECT i, c, 121.0 + ((i - 1) % n) * c AS x, 30.0 + ((i - 1) / n) * c AS y
      FROM (SELECT ceil(sqrt({{parcels}}))::int AS n, 0.4 / ceil(sqrt({{parcels}})) AS c) g,
           generate_series(1, {{parcels}}) i) p;
INSERT INTO protected_area (id, kind, name, geom) VALUES
  ('F1', 'basic_farmland', 'farmland 1', ST_Multi(ST_MakeEnvelope(121.02, 30.02, 121.06, 30.06, 4490))),
  ('R1', 'eco_redline', 'red line 1', ST_Multi(ST_MakeEnvelope(121.30, 30.30, 121.35, 30.35, 4490))),
  ('B1', 'dev_boundary', 'development boundary', ST_Multi(ST_MakeEnvelope(121.0, 30.0, 121.4, 30.4, 4490)));
INSERT INTO enterprise (id, town, industry, size, floor_m2, output_per_mu, tax_per_mu, pollution, low_scattered, safety_ok, geom)
SELECT 'E' || lpad(j::text, 6, '0'), p.town, (ARRAY['textile', 'hardware', 'appliance'])[j % 3 + 1],
       (ARRAY['micro', 'small', 'small', 'medium'])[j % 4 + 1], 300 + (j % 17) * 150, 50 + j % 40, 5 + j % 9,
       (ARRAY['light', 'light', 'moderate', 'heavy'])[j % 4 + 1], j % 11 = 0, j % 13 <> 0,
       ST_Centroid(p.geom)
FROM generate_series(1, greatest({{parcels}} / 10, 1)) j
JOIN parcel p ON p.id = 'P' || lpad((10 * j - 9)::text, 6, '0');
COMMIT;
ANALYZE;
