package layers

import (
	"sort"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// parkRow is a park with its parcel.
type parkRow struct {
	planner.Park
	parcel *planner.Parcel
}

// parksSpec: one feature per open park, the parcel's polygon, id the
// parcel id.
func parksSpec() spec[parkRow] {
	return spec[parkRow]{
		Layer: Layer{Name: Parks, Title: "Parks", Description: "Parks open in the plan, with specialty, tier, opening year and occupancy",
			GeometryType: "MultiPolygon", IDDesc: "parcel id"},
		rows: func(src *source, plan *planner.Plan) []parkRow {
			rows := make([]parkRow, len(plan.Parks))
			for i, pk := range plan.Parks {
				p := src.parcels[pk.ParcelID]
				if p == nil {
					p = &planner.Parcel{}
				}
				rows[i] = parkRow{pk, p}
			}
			sort.Slice(rows, func(i, j int) bool { return rows[i].ParcelID < rows[j].ParcelID })
			return rows
		},
		id:   func(r *parkRow) string { return r.ParcelID },
		geom: func(r *parkRow) orb.Geometry { return multiPolygon(r.parcel.Geometry) },
		fields: []field[parkRow]{
			text("parcel_id", "parcel id", func(r *parkRow) string { return r.ParcelID }),
			text("name", "parcel name, may be empty", func(r *parkRow) string { return r.parcel.Name }),
			text("town", "town code", func(r *parkRow) string { return r.Town }),
			text("kind", "existing | under_construction | new_land | old_factory", func(r *parkRow) string { return string(r.Kind) }),
			text("specialty", "the park's one specialty industry code (一园一特)", func(r *parkRow) string { return r.Specialty }),
			integer("open_year", "opening year (a built park: the year it was built)", func(r *parkRow) int { return r.OpenYear }),
			text("tier", "basic (< 100 mu) | standard (100–300 mu) | complex (≥ 300 mu)", func(r *parkRow) string { return string(r.Tier) }),
			text("tier_requirements", "infrastructure the tier needs (seed)", func(r *parkRow) string { return TierRequirements(r.Tier) }).dbf("tier_req"),
			boolean("locked", "fixed in every plan (built, under construction or lock_in)", func(r *parkRow) bool { return r.Locked }),
			number("area_mu", "area, mu", func(r *parkRow) float64 { return r.AreaMu }),
			number("far", "allowed floor-area ratio", func(r *parkRow) float64 { return r.FAR }),
			number("capacity_m2", "floor space firms can take, m²", func(r *parkRow) float64 { return r.CapacityM2 }).dbf("capacity"),
			number("floor_used_m2", "floor space placed firms use, m²", func(r *parkRow) float64 { return r.FloorUsedM2 }).dbf("floor_used"),
			integer("firms", "firms placed", func(r *parkRow) int { return r.Firms }),
			number("small_micro_share", "small/micro share of placed firms", func(r *parkRow) float64 { return r.SmallMicroShare }).dbf("sm_share"),
			number("specialty_firm_share", "specialty+related share of placed firms", func(r *parkRow) float64 { return r.SpecialtyFirmShare }).dbf("spec_firm"),
			number("specialty_floor_share", "specialty+related share of placed floor space", func(r *parkRow) float64 { return r.SpecialtyFloorShare }).dbf("spec_floor"),
			number("output_wan", "yearly output of placed firms, 10,000 yuan", func(r *parkRow) float64 { return r.OutputWan }),
			number("cost_wan", "cost to open counted against the budget (0 for built parks), 10,000 yuan", func(r *parkRow) float64 { return r.CostWan }),
		},
	}
}

// TierRequirements returns the seed's infrastructure list for a park of
// tier t (the parks layer's tier_requirements).
func TierRequirements(t planner.Tier) string {
	switch t {
	case planner.TierBasic:
		return "basic fire, safety and environmental infrastructure"
	case planner.TierStandard:
		return "independent operator, park management rules, fire/safety/environment/warehousing/logistics infrastructure, business, canteen, dormitory"
	}
	return "professional management team, digital/smart park management, R&D + production + sales + living, service complex"
}
