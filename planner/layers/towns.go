package layers

import (
	"sort"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// townYearRow is a town's line in the plan for one year.
type townYearRow struct {
	summary *planner.TownSummary
	town    *planner.Town
	year    int
	// parksOpen and parksOpening count the plan's parks in the town open
	// by the year's end and opening in the year.
	parksOpen, parksOpening int
}

// townsSpec: one feature per town and year of the plan (the years the
// town has a quota or opens land in), the town's boundary, id
// "{town}-{year}": a flat table of the quota ledger with the parks it
// buys, which GIS tools filter by year (a column per year would change
// the layer's columns with the scenario's horizon).
func townsSpec() spec[townYearRow] {
	return spec[townYearRow]{
		Layer: Layer{Name: Towns, Title: "Town summaries", Description: "Each town's parks and new-land quota use per year (id town-year)",
			GeometryType: "MultiPolygon", IDDesc: "town-year"},
		rows: func(src *source, plan *planner.Plan) []townYearRow {
			var rows []townYearRow
			for i := range plan.Towns {
				ts := &plan.Towns[i]
				t := src.towns[ts.Town]
				if t == nil {
					t = &planner.Town{Code: ts.Town}
				}
				for _, y := range ts.Years() {
					r := townYearRow{summary: ts, town: t, year: y}
					for _, pk := range plan.Parks {
						if pk.Town == ts.Town && pk.OpenYear <= y {
							r.parksOpen++
							if pk.OpenYear == y {
								r.parksOpening++
							}
						}
					}
					rows = append(rows, r)
				}
			}
			sort.SliceStable(rows, func(i, j int) bool {
				a, b := rows[i], rows[j]
				if a.summary.Town != b.summary.Town {
					return a.summary.Town < b.summary.Town
				}
				return a.year < b.year
			})
			return rows
		},
		id:   func(r *townYearRow) string { return r.summary.Town + "-" + strconv.Itoa(r.year) },
		geom: func(r *townYearRow) orb.Geometry { return multiPolygon(r.town.Boundary) },
		fields: []field[townYearRow]{
			text("town", "town code", func(r *townYearRow) string { return r.summary.Town }),
			text("name_zh", "Chinese name", func(r *townYearRow) string { return r.town.NameZh }),
			integer("year", "year", func(r *townYearRow) int { return r.year }),
			number("quota_mu", "new-land quota after scenario scaling, mu", func(r *townYearRow) float64 { return r.summary.QuotaMu[r.year] }),
			number("new_land_used_mu", "new land used by parks opening this year, mu", func(r *townYearRow) float64 { return r.summary.NewLandUsedMu[r.year] }).dbf("new_land"),
			number("quota_left_mu", "quota minus new land used, mu", func(r *townYearRow) float64 {
				return r.summary.QuotaMu[r.year] - r.summary.NewLandUsedMu[r.year]
			}).dbf("quota_left"),
			number("old_factory_mu", "old factory land used (outside the quota), mu", func(r *townYearRow) float64 { return r.summary.OldFactoryMu[r.year] }).dbf("old_fact"),
			integer("parks_open", "parks open by the end of the year", func(r *townYearRow) int { return r.parksOpen }),
			integer("parks_opening", "parks opening this year", func(r *townYearRow) int { return r.parksOpening }).dbf("parks_opng"),
		},
	}
}
