package province

import (
	"sort"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// Merge is the whole province as one county's dataset: every county's
// towns, parcels, protected areas, quotas, industries and firms, their
// codes and ids prefixed with "<county>_" so that counties never share a
// town, parcel, firm or industry (their industries may relate
// differently), and the i-th of n counties moved (i − n/2)·0.8° east
// (the same latitude: every distance within a county stays what it was)
// so that no firm can reach another county's park — demo counties all
// lie on Cixi, 0.59° wide, with a 15 km (0.16°) reach. Areas and overlaps
// are the counties' own figures, not recomputed. Solved under a scenario
// whose county_allocation is the
// pool, with no per-county target or cap and firms kept within their
// town, it is the provincial problem as one model: the oracle of the
// tests (CBC on the MPS) and the one-model baseline of the benchmarks.
func Merge(p *Province) *planner.Dataset {
	const mergeStepDeg = 0.8 // degrees of longitude between counties
	n := len(p.Counties)
	out := &planner.Dataset{Overlaps: map[string]planner.Overlap{}}
	for i, c := range p.Counties {
		ds := p.Datasets[c.Code]
		off := orb.Point{mergeStepDeg * float64(i-n/2), 0}
		mv := func(pt orb.Point) orb.Point { return orb.Point{pt[0] + off[0], pt[1] + off[1]} }
		mvMulti := func(mp orb.MultiPolygon) orb.MultiPolygon {
			out := make(orb.MultiPolygon, len(mp))
			for j, poly := range mp {
				out[j] = make(orb.Polygon, len(poly))
				for r, ring := range poly {
					out[j][r] = make(orb.Ring, len(ring))
					for q, pt := range ring {
						out[j][r][q] = mv(pt)
					}
				}
			}
			return out
		}
		pre := func(s string) string { return c.Code + "_" + s }
		pres := func(ss []string) []string {
			o := make([]string, len(ss))
			for i, s := range ss {
				o[i] = pre(s)
			}
			return o
		}
		for _, t := range ds.Towns {
			t.Code = pre(t.Code)
			t.Industries = pres(t.Industries)
			t.Seat, t.Boundary = mv(t.Seat), mvMulti(t.Boundary)
			out.Towns = append(out.Towns, t)
		}
		for _, pc := range ds.Parcels {
			pc.ID, pc.Town = pre(pc.ID), pre(pc.Town)
			pc.Geometry = mvMulti(pc.Geometry)
			if pc.Specialty != "" {
				pc.Specialty = pre(pc.Specialty)
			}
			out.Parcels = append(out.Parcels, pc)
		}
		for _, pa := range ds.Protected {
			pa.ID = pre(pa.ID)
			pa.Geometry = mvMulti(pa.Geometry)
			out.Protected = append(out.Protected, pa)
		}
		for _, q := range ds.Quotas {
			q.Town = pre(q.Town)
			out.Quotas = append(out.Quotas, q)
		}
		for _, ind := range ds.Industries {
			ind.Code = pre(ind.Code)
			ind.Related = pres(ind.Related)
			out.Industries = append(out.Industries, ind)
		}
		for _, e := range ds.Enterprises {
			e.ID, e.Town, e.Industry = pre(e.ID), pre(e.Town), pre(e.Industry)
			e.Location = mv(e.Location)
			out.Enterprises = append(out.Enterprises, e)
		}
		for id, o := range ds.Overlaps {
			o.ParcelID = pre(id)
			out.Overlaps[pre(id)] = o
		}
	}
	sort.Slice(out.Towns, func(i, j int) bool { return out.Towns[i].Code < out.Towns[j].Code })
	sort.Slice(out.Parcels, func(i, j int) bool { return out.Parcels[i].ID < out.Parcels[j].ID })
	sort.Slice(out.Protected, func(i, j int) bool { return out.Protected[i].ID < out.Protected[j].ID })
	sort.Slice(out.Industries, func(i, j int) bool { return out.Industries[i].Code < out.Industries[j].Code })
	sort.Slice(out.Enterprises, func(i, j int) bool { return out.Enterprises[i].ID < out.Enterprises[j].ID })
	return out
}
