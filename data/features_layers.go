package data

import (
	"strings"

	"github.com/parkplan/parkplan/planner"
	planlayers "github.com/parkplan/parkplan/planner/layers"
)

// featureLayer is one allow-listed feature layer: the only place SQL
// identifiers for feature queries come from. Every fragment is a constant;
// a scenario layer's fragments refer to the scenario id as {sc}, replaced
// by a $n placeholder when a query is built.
type featureLayer struct {
	name     string // layer name: the collection id of a base layer, the suffix of a scenario layer
	title    string
	desc     string
	geomType string // GeoJSON geometry type
	scenario bool   // a scenario layer (collection "{scenario}.{name}")
	// check marks a saved check's layer (collection "check-{id}.{name}");
	// its fragments refer to the check id (bigint) as {sc}.
	check bool
	// year marks a yearly layer (collection "year-{year}.{name}"); its
	// fragments refer to the year (integer) as {sc}.
	year bool
	// province marks a saved provincial plan's layer (collection
	// "province-{id}.{name}"); its fragments refer to the province id as
	// {sc}.
	province bool
	// restricted layers are read by the reviewer and planner roles only
	// (the store's unpublished flag): the public role neither sees them
	// listed nor reads them (ENOTFOUND, as for an unpublished scenario).
	restricted bool
	// from is the FROM clause; fid and geom are SQL expressions of the
	// feature id (text) and the geometry (SRID 4490). order is the total
	// order of pages (unique, index-backed).
	from, fid, geom, order string
	// where restricts the layer's rows (a scenario layer's to one scenario);
	// "" means every row.
	where string
	// idMatch is the WHERE condition selecting one feature by id ({id}).
	idMatch string
	// extentTable is the table whose geom column ST_EstimatedExtent reads
	// (base layers); scenario layers compute ST_Extent over from.
	extentTable string
	// checkExtents (check layers) reads every check's extent in one query:
	// rows of check id, west, south, east, north (checks without geometry
	// left out), so listing many checks costs one query, not one each.
	checkExtents string
	// props are the feature properties, in output order.
	props []featureProp
	// tileRow, when set, is the generated column of the layer's one table
	// holding each row's tile properties and geometry, encoded by
	// PostgreSQL on write (tileRowExpr, features_tilerow.go): a tile
	// reads it instead of computing them per request.
	tileRow string
}

// featureProp is one property: its name, the SQL expression that reads
// it, and its JSON type (how encodeFeature writes PostgreSQL's text form).
type featureProp struct {
	name string
	expr string
	// typ is string, number, integer, boolean, array (expr yields JSON
	// text), or members: expr yields a JSON object whose members are
	// written as properties in its place (a figure per year, flattened:
	// "allocated_mu_2021"); name then describes them.
	typ  string
	desc string
	key  []byte // `"name":`, set by NewFeatureStore
}

// cols returns the layer's properties as one SQL row constructor. A row
// reaches the server as one text value that lib/pq passes through
// untouched, parsed by parseRecord without allocating; separate columns
// cost lib/pq a string or a float parse per value (and database/sql a
// format back), the largest cost of a page on the Go side.
func (l *featureLayer) cols() string {
	var b strings.Builder
	b.WriteString("row(")
	for i, p := range l.props {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.expr)
	}
	b.WriteString(")")
	return b.String()
}

// properties describes the layer's properties for planner.Collection.
func (l *featureLayer) properties() []planner.Property {
	out := make([]planner.Property, len(l.props))
	for i, p := range l.props {
		out[i] = planner.Property{Name: p.name, Type: p.typ, Desc: p.desc}
	}
	return out
}

// Property constructors: name, SQL expression, meaning.
func str(n, e, d string) featureProp { return featureProp{name: n, expr: e, typ: "string", desc: d} }
func num(n, e, d string) featureProp { return featureProp{name: n, expr: e, typ: "number", desc: d} }
func integer(n, e, d string) featureProp {
	return featureProp{name: n, expr: e, typ: "integer", desc: d}
}
func boolean(n, e, d string) featureProp {
	return featureProp{name: n, expr: e, typ: "boolean", desc: d}
}
func array(n, e, d string) featureProp { return featureProp{name: n, expr: e, typ: "array", desc: d} }
func members(n, e, d string) featureProp {
	return featureProp{name: n, expr: e, typ: "members", desc: d}
}

// Saved checks' violations (tables quota_check, quota_check_violation,
// migration 00020). The feature id is "{check_id}-{seq}"; violationIDMatch
// selects one by the primary key, index-backed, and matches nothing (no
// cast error) when {id} is not of that form: the CASE guards the casts.
const (
	violationFrom    = "quota_check_violation v join quota_check c on c.id = v.check_id"
	violationIDMatch = `v.check_id = case when {id} ~ '^[1-9][0-9]{0,17}-[1-9][0-9]{0,8}$' then split_part({id}, '-', 1)::bigint end
	and v.seq = case when {id} ~ '^[1-9][0-9]{0,17}-[1-9][0-9]{0,8}$' then split_part({id}, '-', 2)::int end`
)

// violationExprs reads each property of the check layer of planner/layers
// (layers.ViolationsLayer) from a saved check's rows, as
// layers.CheckViolations gives it for the saved report.
func violationExprs() map[string]string {
	return map[string]string{"check_id": "v.check_id",
		"created_at": `to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
		"source":     "c.source", "scenario": "nullif(c.scenario, '')", "kind": "v.kind",
		"parcel_id": "nullif(v.parcel_id, '')", "parks": "v.parks", "town": "nullif(v.town, '')",
		"year": "v.year", "area_mu": "v.area_mu", "detail": "v.detail"}
}

// violationProps are the properties of a violation feature: the check
// layer's, in its order. A property without an expression is a
// programmer error (panic, at NewFeatureStore).
func violationProps() []featureProp {
	exprs := violationExprs()
	var out []featureProp
	for _, p := range planlayers.ViolationsLayer().Props {
		e, ok := exprs[p.Name]
		if !ok {
			panic("data: no SQL for property " + p.Name + " of the violations layer")
		}
		out = append(out, featureProp{name: p.Name, expr: e, typ: p.Type, desc: p.Desc})
	}
	return out
}

// countyGeom is a county's boundary: its own, or, for the implied
// default county of data without counties, the union of its towns.
const countyGeom = "coalesce(c.geom, (select ST_Multi(ST_Union(t.geom)) from town t where t.county = c.code))"

// provinceFrom joins each county to its allocation rows in a saved
// provincial plan ({sc}, province_allocation, migration 00071): totals
// over the years (each row once: f.n = 1), and each year's five figures
// (f, a row per figure) flattened as one JSON object.
const provinceFrom = `county c cross join lateral (select count(*) filter (where f.n = 1) as n,
	nullif(min(a.scenario_id), '') as scenario_id, sum(a.request_mu) filter (where f.n = 1) as request_mu,
	sum(a.allocated_mu) filter (where f.n = 1) as allocated_mu, sum(a.used_mu) filter (where f.n = 1) as used_mu,
	avg(a.marginal_value) filter (where f.n = 1) as marginal_value, avg(a.release_value) filter (where f.n = 1) as release_value,
	coalesce(json_object_agg(f.k || '_' || a.year, f.v order by a.year, f.n) filter (where f.k is not null), '{}')::text as years
	from province_allocation a, lateral (values (1, 'request_mu', a.request_mu), (2, 'allocated_mu', a.allocated_mu),
		(3, 'used_mu', a.used_mu), (4, 'marginal_value', a.marginal_value), (5, 'release_value', a.release_value)) f(n, k, v)
	where a.province_id = {sc} and a.county = c.code) pa`

// provinceLayers are a saved provincial plan's layers: one feature per
// county of its allocation.
func provinceLayers() []featureLayer {
	return []featureLayer{
		{name: "allocation", title: "Quota allocation", desc: "Each county's share of the province's new-land quota pool against its request, the new land its plan uses, and what a mu is worth there (marginal: one more mu; release: one mu taken back), in total and per year",
			province: true, geomType: "MultiPolygon", from: provinceFrom, fid: "c.code", geom: countyGeom, order: "c.code",
			where: "pa.n > 0", idMatch: "c.code = {id}",
			props: []featureProp{str("county", "c.code", "county code"), str("name_zh", "c.name_zh", "Chinese name"),
				str("name_en", "c.name_en", "English name"), str("prefecture", "c.prefecture", "prefecture (地级市)"),
				str("scenario_id", "pa.scenario_id", "the county's plan: an ordinary scenario (/scenarios/{id}, collections {id}.parks, …)"),
				num("request_mu", "pa.request_mu", "the county's own quota over the years, mu"),
				num("allocated_mu", "pa.allocated_mu", "what the province gives over the years, mu"),
				num("used_mu", "pa.used_mu", "new land the county's plan uses over the years, mu"),
				num("marginal_value", "pa.marginal_value", "mean over the years of the gain of one more mu, objective units per mu"),
				num("release_value", "pa.release_value", "mean over the years of the loss of one mu taken back, objective units per mu"),
				members("{figure}_{year}", "pa.years", "request_mu, allocated_mu, used_mu, marginal_value and release_value of each year, e.g. allocated_mu_2021")}},
	}
}

// layers returns the allow-list of feature layers, base layers first,
// then the scenario layers: the plan layers of planner/layers
// (planFeatureLayers), then candidates.
func layers() []featureLayer {
	base := []featureLayer{
		{name: "towns", title: "Towns", desc: "Towns, subdistricts and zones with their block industries (一镇一业)",
			geomType: "MultiPolygon", from: "town t", fid: "t.code", geom: "t.geom", order: "t.code",
			idMatch: "t.code = {id}", extentTable: "town",
			props: []featureProp{str("code", "t.code", "stable town code"), str("name_zh", "t.name_zh", "Chinese name"),
				str("name_en", "t.name_en", "English name"), str("type", "t.type", "town | subdistrict | zone"),
				array("industries", "to_json(t.industries)", "block industry codes, main first"),
				num("seat_lon", "round(ST_X(t.seat)::numeric, 7)", "town seat longitude, degrees"),
				num("seat_lat", "round(ST_Y(t.seat)::numeric, 7)", "town seat latitude, degrees"),
				boolean("synthetic", "t.synthetic", "boundary is synthetic (demo data)"),
				str("county", "t.county", "code of the county the town is in (counties)")}},
		{name: "parcels", title: "Parcels", desc: "Existing parks, parks under construction and candidate parcels",
			geomType: "MultiPolygon", from: "parcel p", fid: "p.id", geom: "p.geom", order: "p.id",
			idMatch: "p.id = {id}", extentTable: "parcel", tileRow: "p.tile_row",
			props: []featureProp{str("id", "p.id", "parcel id"), str("town", "p.town", "town code"),
				str("kind", "p.kind", "existing | under_construction | new_land | old_factory"), str("name", "p.name", "name, may be empty"),
				num("area_mu", "p.area_mu", "area, mu"), num("far", "p.far", "allowed floor-area ratio"),
				num("cost_wan", "p.cost_wan", "cost to open, 10,000 yuan"), num("floor_m2", "p.floor_m2", "floor space built or planned, m²"),
				integer("firms", "p.firms", "firms in the park"),
				str("specialty", "p.specialty", "industry code of an existing park, null for candidates"),
				integer("open_year", "p.open_year", "year opened or due, null for candidates")}},
		{name: "protected", title: "Protected land", desc: "Permanent basic farmland, ecological red line and the urban development boundary",
			geomType: "MultiPolygon", from: "protected_area a", fid: "a.id", geom: "a.geom", order: "a.id",
			idMatch: "a.id = {id}", extentTable: "protected_area",
			props: []featureProp{str("id", "a.id", "protected area id"), str("kind", "a.kind", "basic_farmland | eco_redline | dev_boundary"),
				str("name", "a.name", "name")}},
		{name: "enterprises", title: "Enterprises", desc: "Small and micro enterprises that may move into parks",
			geomType: "Point", from: "enterprise e", fid: "e.id", geom: "e.geom", order: "e.id",
			idMatch: "e.id = {id}", extentTable: "enterprise",
			props: []featureProp{str("id", "e.id", "enterprise id"), str("town", "e.town", "town code"),
				str("industry", "e.industry", "industry code"), str("size", "e.size", "micro | small | medium | large"),
				num("floor_m2", "e.floor_m2", "floor space needed, m²"), num("output_per_mu", "e.output_per_mu", "output per mu, 10,000 yuan/mu/yr"),
				num("tax_per_mu", "e.tax_per_mu", "tax per mu, 10,000 yuan/mu/yr"), str("pollution", "e.pollution", "light | moderate | heavy"),
				boolean("low_scattered", "e.low_scattered", "low, scattered, messy (低散乱)"),
				boolean("safety_ok", "e.safety_ok", "safety record passes admission"),
				str("mu_class", "e.mu_class", "亩均效益 class A–D, null when none on record")}},
		{name: "counties", title: "Counties", desc: "Counties (县, 县级市, 市辖区) with their prefecture; data without counties is one county, the implied default",
			geomType: "MultiPolygon", from: "county c", fid: "c.code", order: "c.code", geom: countyGeom,
			idMatch: "c.code = {id}", extentTable: "town",
			props: []featureProp{str("code", "c.code", "stable county code"), str("name_zh", "c.name_zh", "Chinese name"),
				str("name_en", "c.name_en", "English name"), str("prefecture", "c.prefecture", "prefecture (地级市)"),
				num("seat_lon", "round(ST_X(c.seat)::numeric, 7)", "county seat longitude, degrees; null for the implied county"),
				num("seat_lat", "round(ST_Y(c.seat)::numeric, 7)", "county seat latitude, degrees; null for the implied county"),
				boolean("implied", "c.implied", "the implied default county of data without counties (its boundary is its towns' union)"),
				integer("towns", "(select count(*) from town t where t.county = c.code)", "number of towns in the county")}},
	}
	return append(append(base, planFeatureLayers()...), []featureLayer{
		// The candidates layer is not a plan layer: it lists the current
		// parcels, marked chosen by the plan.
		{name: "candidates", title: "Candidate parcels", desc: "Every candidate parcel (new land, old factory) with chosen or not",
			scenario: true, geomType: "MultiPolygon",
			from: "parcel p left join plan_park pp on pp.scenario_id = {sc} and pp.parcel_id = p.id",
			fid:  "p.id", geom: "p.geom", order: "p.id",
			where:   "p.kind in ('new_land', 'old_factory')",
			idMatch: "p.kind in ('new_land', 'old_factory') and p.id = {id}",
			props: []featureProp{str("id", "p.id", "parcel id"), str("town", "p.town", "town code"),
				str("kind", "p.kind", "new_land | old_factory"), str("name", "p.name", "name"),
				num("area_mu", "p.area_mu", "area, mu"), num("far", "p.far", "allowed floor-area ratio"),
				num("cost_wan", "p.cost_wan", "cost to open, 10,000 yuan"),
				boolean("chosen", "pp.parcel_id is not null", "the plan opens a park here"),
				integer("open_year", "pp.open_year", "opening year if chosen"),
				str("specialty", "pp.specialty", "specialty if chosen"), str("tier", "pp.tier", "tier if chosen")}},

		// Saved checks' violations: the bureau's working material, so for
		// the reviewer and planner roles only. Violations without a
		// geometry (quota kinds, invalid input) are features with a null
		// geometry (RFC 7946 §3.2): a bbox never selects them.
		{name: "violations", title: "Check violations", desc: "Violations of every saved quota and protected-land check (id check-seq); overlap geometry, null for quota and invalid-input violations",
			restricted: true, geomType: "MultiPolygon", from: violationFrom, fid: "v.check_id || '-' || v.seq", geom: "v.geom",
			order: "v.check_id, v.seq", idMatch: violationIDMatch, props: violationProps()},
		{name: "violations", title: "Violations", desc: "The saved check's violations (id check-seq); overlap geometry, null for quota and invalid-input violations",
			check: true, restricted: true, geomType: "MultiPolygon", from: violationFrom, fid: "v.check_id || '-' || v.seq", geom: "v.geom",
			order: "v.check_id, v.seq", where: "v.check_id = {sc}", idMatch: "v.check_id = {sc} and " + violationIDMatch,
			checkExtents: `select check_id, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
	from (select check_id, ST_Extent(geom)::box2d as b from quota_check_violation group by check_id) e where b is not null`,
			props: violationProps()},

		// The saved park evaluation of a year (parkplan evaluate --save).
		{name: "evaluation", title: "Park evaluation", desc: "Parks on the year's monitoring record with their indicators, score, rating and trend (评价考核; parkplan evaluate --save)",
			year: true, geomType: "MultiPolygon",
			from: "park_evaluation ev join parcel p on p.id = ev.park_id", fid: "ev.park_id", geom: "p.geom",
			order: "ev.park_id", where: "ev.year = {sc}", idMatch: "ev.year = {sc} and ev.park_id = {id}",
			props: []featureProp{str("park_id", "ev.park_id", "park parcel id"), str("name", "p.name", "park name"),
				str("town", "p.town", "town code"), str("specialty", "p.specialty", "the park's specialty"),
				num("area_mu", "p.area_mu", "area, mu"), integer("year", "ev.year", "monitoring year"),
				integer("firms", "ev.firms", "firms on record"),
				num("occupancy", "ev.occupancy", "firms' floor / (firms' floor + vacant floor)"),
				num("specialty_share_firms", "ev.specialty_share_firms", "specialty + related, share of firms (rule ≥ 0.7)"),
				num("specialty_share_floor", "ev.specialty_share_floor", "specialty + related, share of the firms' floor (rule ≥ 0.7)"),
				num("small_micro_share", "ev.small_micro_share", "small and micro, share of firms (rule ≥ 0.7)"),
				num("output_per_mu", "ev.output_per_mu", "firms' output / park area, 10,000 yuan/mu/yr"),
				num("tax_per_mu", "ev.tax_per_mu", "firms' tax / park area, 10,000 yuan/mu/yr"),
				num("facilities", "ev.facilities", "share of the tier's facilities in place"),
				num("floor_use", "ev.floor_use", "firms' floor / capacity (area × FAR × usable share)"),
				num("score", "ev.score", "rubric score, 0–100"), str("rating", "ev.rating", "rubric rating (excellent | good | pass | fail by default)"),
				str("trend", "ev.trend", "up | down | steady | first"),
				array("rules_broken", "to_json(ev.rules_broken)", "code names of the rules the park breaks"),
				str("broken_detail", "ev.broken_detail", "the broken rules with their figures"),
				array("history", "ev.history", "score and rating by year, oldest first"),
				str("rubric", "ev.rubric", "rubric name (not an official standard)"),
				str("plan", "ev.plan", "scenario id of the plan compared, empty for none")}},
		// The saved exit list of a year (parkplan evaluate --exit --save).
		{name: "exit", title: "Exit list and refills", desc: "Parks with firms failing the admission rules or a broken 70 % rule, with the leaving firms and the best refill (把好出口; parkplan evaluate --exit --save)",
			year: true, geomType: "MultiPolygon",
			from: "park_exit x join parcel p on p.id = x.park_id", fid: "x.park_id", geom: "p.geom",
			order: "x.park_id", where: "x.year = {sc}", idMatch: "x.year = {sc} and x.park_id = {id}",
			props: []featureProp{str("park_id", "x.park_id", "park parcel id"), str("name", "p.name", "park name"),
				str("town", "p.town", "town code"), str("specialty", "x.specialty", "the park's specialty"),
				integer("year", "x.year", "monitoring year"),
				array("leaving", "x.leaving", "firms failing the admission rules: firm_id, industry, floor_m2, reason"),
				str("broken_now", "x.broken_now", "share rules broken with every firm on record"),
				str("broken_after", "x.broken_after", "share rules broken once the leaving firms are gone"),
				boolean("refill", "x.refill", "a refill was computed"),
				boolean("refill_restores", "x.refill_restores", "the refill keeps every staying firm and restores every share rule"),
				str("refill_status", "x.refill_status", "solve status of the refill (optimal when proven)"),
				num("free_floor_m2", "x.free_floor_m2", "vacant floor plus the leaving firms' floor, m²"),
				num("refill_floor_m2", "x.refill_floor_m2", "floor the refill fills, m²"),
				array("refill_firms", "x.refill_firms", "the waiting firms the refill moves in"),
				num("specialty_share_firms", "x.specialty_share_firms", "specialty + related, of firms, after the refill"),
				num("specialty_share_floor", "x.specialty_share_floor", "specialty + related, of floor, after the refill"),
				num("small_micro_share", "x.small_micro_share", "small/micro, of firms, after the refill")}},
	}...)
}
