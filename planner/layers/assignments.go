package layers

import (
	"sort"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// assignmentRow is a placed firm with its park's parcel and the line's end.
type assignmentRow struct {
	planner.Assignment
	firm   *planner.Enterprise
	parcel *planner.Parcel
	end    orb.Point // geo.PointOnSurface of the parcel
	line   orb.Geometry
}

// assignmentsSpec: one line per placed firm, from the firm's location to
// geo.PointOnSurface of its park's parcel (a point inside the park, which
// the centroid of an L- or U-shaped parcel is not); id the enterprise id.
func assignmentsSpec() spec[assignmentRow] {
	return spec[assignmentRow]{
		Layer: Layer{Name: Assignments, Title: "Assignments", Description: "Firm → park moves as lines from the firm to a point on its park",
			GeometryType: "LineString", IDDesc: "enterprise id"},
		rows: func(src *source, plan *planner.Plan) []assignmentRow {
			ends := map[string]orb.Point{}
			rows := make([]assignmentRow, len(plan.Assignments))
			for i, a := range plan.Assignments {
				r := assignmentRow{Assignment: a, firm: src.firms[a.EnterpriseID], parcel: src.parcels[a.ParcelID]}
				if r.parcel != nil && len(r.parcel.Geometry) > 0 {
					end, ok := ends[a.ParcelID]
					if !ok {
						end = geo.PointOnSurface(r.parcel.Geometry)
						ends[a.ParcelID] = end
					}
					r.end = end
				}
				if r.firm != nil && r.parcel != nil && len(r.parcel.Geometry) > 0 {
					r.line = orb.LineString{r.firm.Location, r.end}
				}
				if r.firm == nil {
					r.firm = &planner.Enterprise{}
				}
				if r.parcel == nil {
					r.parcel = &planner.Parcel{}
				}
				rows[i] = r
			}
			sort.Slice(rows, func(i, j int) bool { return rows[i].EnterpriseID < rows[j].EnterpriseID })
			return rows
		},
		id:   func(r *assignmentRow) string { return r.EnterpriseID },
		geom: func(r *assignmentRow) orb.Geometry { return r.line },
		fields: []field[assignmentRow]{
			text("enterprise_id", "enterprise id", func(r *assignmentRow) string { return r.EnterpriseID }).dbf("firm_id"),
			text("parcel_id", "park parcel id", func(r *assignmentRow) string { return r.ParcelID }),
			text("industry", "firm's industry code", func(r *assignmentRow) string { return r.firm.Industry }),
			text("size", "firm's size class", func(r *assignmentRow) string { return string(r.firm.Size) }),
			text("firm_town", "firm's town code", func(r *assignmentRow) string { return r.firm.Town }),
			text("park_town", "park's town code", func(r *assignmentRow) string { return r.parcel.Town }),
			number("floor_m2", "floor space the firm needs, m²", func(r *assignmentRow) float64 { return r.firm.FloorM2 }),
			number("distance_m", "relocation distance as the model measures it: the firm's town seat → the park centroid, metres",
				func(r *assignmentRow) float64 { return r.DistanceM }),
			number("firm_distance_m", "the line's length: the firm's own location → the point on its park, metres (for information)",
				func(r *assignmentRow) float64 {
					if r.line == nil {
						return 0
					}
					return geo.DistanceM(r.firm.Location, r.end)
				}).dbf("firm_dist"),
		},
	}
}
