package layers

import (
	"sort"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// unplacedRow is a firm left out, with its record.
type unplacedRow struct {
	planner.Unplaced
	firm *planner.Enterprise
	at   orb.Geometry
}

// unplacedSpec: one point per firm left out (its location), id the
// enterprise id.
func unplacedSpec() spec[unplacedRow] {
	return spec[unplacedRow]{
		Layer: Layer{Name: Unplaced, Title: "Unplaced firms", Description: "Firms the plan leaves out, with the reason",
			GeometryType: "Point", IDDesc: "enterprise id"},
		rows: func(src *source, plan *planner.Plan) []unplacedRow {
			rows := make([]unplacedRow, len(plan.Unplaced))
			for i, u := range plan.Unplaced {
				r := unplacedRow{Unplaced: u, firm: src.firms[u.EnterpriseID]}
				if r.firm == nil {
					r.firm = &planner.Enterprise{}
				} else {
					r.at = r.firm.Location
				}
				rows[i] = r
			}
			sort.Slice(rows, func(i, j int) bool { return rows[i].EnterpriseID < rows[j].EnterpriseID })
			return rows
		},
		id:   func(r *unplacedRow) string { return r.EnterpriseID },
		geom: func(r *unplacedRow) orb.Geometry { return r.at },
		fields: []field[unplacedRow]{
			text("enterprise_id", "enterprise id", func(r *unplacedRow) string { return r.EnterpriseID }).dbf("firm_id"),
			text("town", "town code", func(r *unplacedRow) string { return r.firm.Town }),
			text("industry", "industry code", func(r *unplacedRow) string { return r.firm.Industry }),
			text("size", "size class", func(r *unplacedRow) string { return string(r.firm.Size) }),
			number("floor_m2", "floor space the firm needs, m²", func(r *unplacedRow) float64 { return r.firm.FloorM2 }),
			text("pollution", "pollution class", func(r *unplacedRow) string { return string(r.firm.Pollution) }),
			boolean("low_scattered", "低散乱", func(r *unplacedRow) bool { return r.firm.LowScattered }).dbf("low_scat"),
			boolean("safety_ok", "safety record passes", func(r *unplacedRow) bool { return r.firm.SafetyOK }),
			text("mu_class", "亩均效益 class A–D, empty when none on record", func(r *unplacedRow) string { return string(r.firm.MuClass) }),
			text("reason", "barred_pollution | low_scattered | safety | mu_class | below_output_per_mu | below_tax_per_mu | no_park_in_reach | no_capacity",
				func(r *unplacedRow) string { return string(r.Reason) }),
			text("detail", "figure and threshold of a 亩均效益 reason, empty otherwise", func(r *unplacedRow) string { return r.Detail }),
		},
	}
}
