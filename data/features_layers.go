package data

import "github.com/parkplan/parkplan/planner"

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
	// from is the FROM clause; fid and geom are SQL expressions of the
	// feature id (text) and the geometry (SRID 4490); cols is the select
	// list of the properties. order is the total order of pages (unique,
	// index-backed).
	from, fid, geom, cols, order string
	// where restricts the layer's rows (a scenario layer's to one scenario);
	// "" means every row.
	where string
	// idMatch is the WHERE condition selecting one feature by id ({id}).
	idMatch string
	// extentTable is the table whose geom column ST_EstimatedExtent reads
	// (base layers); scenario layers compute ST_Extent over from.
	extentTable string
	properties  []planner.Property
}

// Property column lists: the select list whose row becomes a feature's
// properties object (to_json of a row is PostgreSQL's fastest JSON
// encoder: about 1.5× json_build_object on 1,000 parcels).
const (
	townCols = `t.code, t.name_zh, t.name_en, t.type, t.industries,
	round(ST_X(t.seat)::numeric, 7) as seat_lon, round(ST_Y(t.seat)::numeric, 7) as seat_lat, t.synthetic`
	parcelCols     = `p.id, p.town, p.kind, p.name, p.area_mu, p.far, p.cost_wan, p.floor_m2, p.firms, p.specialty, p.open_year`
	protectedCols  = `a.id, a.kind, a.name`
	enterpriseCols = `e.id, e.town, e.industry, e.size, e.floor_m2, e.output_per_mu, e.tax_per_mu, e.pollution,
	e.low_scattered, e.safety_ok`
)

// Scenario layer fragments ({sc} is the scenario id parameter).
const (
	// tierRequirements is the seed's infrastructure list for a park's tier.
	tierRequirements = `case pp.tier
	when 'basic' then 'basic fire, safety and environmental infrastructure'
	when 'standard' then 'independent operator, park management rules, fire/safety/environment/warehousing/logistics infrastructure, business, canteen, dormitory'
	else 'professional management team, digital/smart park management, R&D + production + sales + living, service complex' end`
	parkCols = `pp.parcel_id, p.name, pp.town, pp.kind, pp.specialty, pp.open_year, pp.tier,
	` + tierRequirements + ` as tier_requirements,
	pp.locked, pp.area_mu, pp.far, pp.capacity_m2, pp.floor_used_m2, pp.firms, pp.small_micro_share, pp.specialty_firm_share,
	pp.specialty_floor_share, pp.output_wan, pp.cost_wan`
	assignmentCols = `pa.enterprise_id, pa.parcel_id, e.industry, e.size, e.town as firm_town, p.town as park_town, pa.distance_m`
	unplacedCols   = `pu.enterprise_id, e.town, e.industry, e.size, e.pollution, e.low_scattered, e.safety_ok, pu.reason`
	planTownCols   = `pt.town, t.name_zh, pt.year, pt.quota_mu, pt.new_land_used_mu, pt.quota_mu - pt.new_land_used_mu as quota_left_mu,
	pt.old_factory_mu,
	(select count(*) from plan_park q where q.scenario_id = pt.scenario_id and q.town = pt.town and q.open_year <= pt.year) as parks_open,
	(select count(*) from plan_park q where q.scenario_id = pt.scenario_id and q.town = pt.town and q.open_year = pt.year) as parks_opening`
	candidateCols = `p.id, p.town, p.kind, p.name, p.area_mu, p.far, p.cost_wan, pp.parcel_id is not null as chosen,
	pp.open_year, pp.specialty, pp.tier`
)

// layers returns the allow-list of feature layers, base layers first.
func layers() []featureLayer {
	str := func(n, d string) planner.Property { return planner.Property{Name: n, Type: "string", Desc: d} }
	num := func(n, d string) planner.Property { return planner.Property{Name: n, Type: "number", Desc: d} }
	integer := func(n, d string) planner.Property { return planner.Property{Name: n, Type: "integer", Desc: d} }
	boolean := func(n, d string) planner.Property { return planner.Property{Name: n, Type: "boolean", Desc: d} }
	return []featureLayer{
		{name: "towns", title: "Towns", desc: "Towns, subdistricts and zones with their block industries (一镇一业)",
			geomType: "MultiPolygon", from: "town t", fid: "t.code", geom: "t.geom", cols: townCols, order: "t.code",
			idMatch: "t.code = {id}", extentTable: "town",
			properties: []planner.Property{str("code", "stable town code"), str("name_zh", "Chinese name"), str("name_en", "English name"),
				str("type", "town | subdistrict | zone"), {Name: "industries", Type: "array", Desc: "block industry codes, main first"},
				num("seat_lon", "town seat longitude, degrees"), num("seat_lat", "town seat latitude, degrees"),
				boolean("synthetic", "boundary is synthetic (demo data)")}},
		{name: "parcels", title: "Parcels", desc: "Existing parks, parks under construction and candidate parcels",
			geomType: "MultiPolygon", from: "parcel p", fid: "p.id", geom: "p.geom", cols: parcelCols, order: "p.id",
			idMatch: "p.id = {id}", extentTable: "parcel",
			properties: []planner.Property{str("id", "parcel id"), str("town", "town code"),
				str("kind", "existing | under_construction | new_land | old_factory"), str("name", "name, may be empty"),
				num("area_mu", "area, mu"), num("far", "allowed floor-area ratio"), num("cost_wan", "cost to open, 10,000 yuan"),
				num("floor_m2", "floor space built or planned, m²"), integer("firms", "firms in the park"),
				str("specialty", "industry code of an existing park, null for candidates"), integer("open_year", "year opened or due, null for candidates")}},
		{name: "protected", title: "Protected land", desc: "Permanent basic farmland, ecological red line and the urban development boundary",
			geomType: "MultiPolygon", from: "protected_area a", fid: "a.id", geom: "a.geom", cols: protectedCols, order: "a.id",
			idMatch: "a.id = {id}", extentTable: "protected_area",
			properties: []planner.Property{str("id", "protected area id"), str("kind", "basic_farmland | eco_redline | dev_boundary"), str("name", "name")}},
		{name: "enterprises", title: "Enterprises", desc: "Small and micro enterprises that may move into parks",
			geomType: "Point", from: "enterprise e", fid: "e.id", geom: "e.geom", cols: enterpriseCols, order: "e.id",
			idMatch: "e.id = {id}", extentTable: "enterprise",
			properties: []planner.Property{str("id", "enterprise id"), str("town", "town code"), str("industry", "industry code"),
				str("size", "size class"), num("floor_m2", "floor space needed, m²"), num("output_per_mu", "output per mu, 10,000 yuan/mu/yr"),
				num("tax_per_mu", "tax per mu, 10,000 yuan/mu/yr"), str("pollution", "light | moderate | heavy"),
				boolean("low_scattered", "low, scattered, messy (低散乱)"), boolean("safety_ok", "safety record passes admission")}},

		{name: "parks", title: "Parks", desc: "Parks open in the plan, with specialty, tier, opening year and occupancy",
			scenario: true, geomType: "MultiPolygon",
			from: "plan_park pp join parcel p on p.id = pp.parcel_id", fid: "pp.parcel_id", geom: "p.geom", cols: parkCols,
			order: "pp.parcel_id", where: "pp.scenario_id = {sc}", idMatch: "pp.scenario_id = {sc} and pp.parcel_id = {id}",
			properties: []planner.Property{str("parcel_id", "parcel id"), str("name", "parcel name"), str("town", "town code"),
				str("kind", "parcel kind"), str("specialty", "the park's specialty industry code"), integer("open_year", "opening year"),
				str("tier", "basic | standard | complex"), str("tier_requirements", "infrastructure the tier needs (seed)"),
				boolean("locked", "fixed in every plan"), num("area_mu", "area, mu"), num("far", "floor-area ratio"),
				num("capacity_m2", "floor space firms can take, m²"), num("floor_used_m2", "floor space placed firms use, m²"),
				integer("firms", "firms placed"), num("small_micro_share", "small/micro share of placed firms"),
				num("specialty_firm_share", "specialty+related share of placed firms"),
				num("specialty_floor_share", "specialty+related share of placed floor space"),
				num("output_wan", "yearly output of placed firms, 10,000 yuan"), num("cost_wan", "cost to open, 10,000 yuan")}},
		{name: "assignments", title: "Assignments", desc: "Firm → park moves as lines from the firm to a point on its park",
			scenario: true, geomType: "LineString",
			from: "plan_assignment pa join enterprise e on e.id = pa.enterprise_id join parcel p on p.id = pa.parcel_id",
			fid:  "pa.enterprise_id", geom: "ST_MakeLine(e.geom, ST_PointOnSurface(p.geom))", cols: assignmentCols,
			order: "pa.enterprise_id", where: "pa.scenario_id = {sc}", idMatch: "pa.scenario_id = {sc} and pa.enterprise_id = {id}",
			properties: []planner.Property{str("enterprise_id", "enterprise id"), str("parcel_id", "park parcel id"),
				str("industry", "firm's industry"), str("size", "firm size class"), str("firm_town", "firm's town"),
				str("park_town", "park's town"), num("distance_m", "town seat to park, metres")}},
		{name: "unplaced", title: "Unplaced firms", desc: "Firms the plan leaves out, with the reason",
			scenario: true, geomType: "Point",
			from: "plan_unplaced pu join enterprise e on e.id = pu.enterprise_id", fid: "pu.enterprise_id", geom: "e.geom",
			cols: unplacedCols, order: "pu.enterprise_id", where: "pu.scenario_id = {sc}", idMatch: "pu.scenario_id = {sc} and pu.enterprise_id = {id}",
			properties: []planner.Property{str("enterprise_id", "enterprise id"), str("town", "town code"), str("industry", "industry code"),
				str("size", "size class"), str("pollution", "pollution class"), boolean("low_scattered", "低散乱"),
				boolean("safety_ok", "safety record passes"), str("reason", "barred_pollution | low_scattered | safety | no_park_in_reach | no_capacity")}},
		{name: "towns", title: "Town summaries", desc: "Each town's parks and new-land quota use per year (id town-year)",
			scenario: true, geomType: "MultiPolygon",
			from: "plan_town pt join town t on t.code = pt.town", fid: "pt.town || '-' || pt.year", geom: "t.geom",
			cols: planTownCols, order: "pt.town, pt.year", where: "pt.scenario_id = {sc}",
			idMatch: "pt.scenario_id = {sc} and pt.town || '-' || pt.year = {id}",
			properties: []planner.Property{str("town", "town code"), str("name_zh", "Chinese name"), integer("year", "year"),
				num("quota_mu", "new-land quota after scenario scaling, mu"), num("new_land_used_mu", "new land used by parks opening this year, mu"),
				num("quota_left_mu", "quota minus new land used, mu"), num("old_factory_mu", "old factory land used (outside the quota), mu"),
				integer("parks_open", "parks open by the end of the year"), integer("parks_opening", "parks opening this year")}},
		{name: "candidates", title: "Candidate parcels", desc: "Every candidate parcel (new land, old factory) with chosen or not",
			scenario: true, geomType: "MultiPolygon",
			from: "parcel p left join plan_park pp on pp.scenario_id = {sc} and pp.parcel_id = p.id",
			fid:  "p.id", geom: "p.geom", cols: candidateCols, order: "p.id",
			where:   "p.kind in ('new_land', 'old_factory')",
			idMatch: "p.kind in ('new_land', 'old_factory') and p.id = {id}",
			properties: []planner.Property{str("id", "parcel id"), str("town", "town code"), str("kind", "new_land | old_factory"),
				str("name", "name"), num("area_mu", "area, mu"), num("far", "allowed floor-area ratio"), num("cost_wan", "cost to open, 10,000 yuan"),
				boolean("chosen", "the plan opens a park here"), integer("open_year", "opening year if chosen"),
				str("specialty", "specialty if chosen"), str("tier", "tier if chosen")}},
	}
}
