package demo

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
)

// Protected-land layout (synthetic).
const (
	devCellLon = 0.04     // development-boundary grid cell, degrees of longitude (≈ 3.9 km)
	devCellLat = 0.03     // and of latitude (≈ 3.3 km)
	devKeep    = 0.82     // share of cells inside the boundary; the rest is outside it
	farmPerKm2 = 1.0 / 30 // basic-farmland polygons per km² of town, plus 0–1 (1–5 a town)
	farmMaxM   = 1100     // largest farmland ellipse semi-axis, metres
	farmScaleM = 150      // … and at most this × √(town km²), so small towns keep room
	redMinM    = 1000     // red-line ellipse semi-axes, metres
	redMaxM    = 1800
	placeTries = 4000 // attempts to place one polygon before giving up
)

// devBoundary cuts the towns by a lon/lat grid: every piece lies in one
// town and one grid cell, pieces are disjoint, and all are convex except
// where the county outline runs through a cell. A piece is kept when a
// draw says so (devKeep); the rest of the town is outside the boundary.
func (c *county) devBoundary() {
	b := c.outline.Bound()
	x0 := math.Floor(b.Min[0]/devCellLon) * devCellLon
	y0 := math.Floor(b.Min[1]/devCellLat) * devCellLat
	for y := y0; y < b.Max[1]; y += devCellLat {
		for x := x0; x < b.Max[0]; x += devCellLon {
			cell := orb.Ring{{x, y}, {x + devCellLon, y}, {x + devCellLon, y + devCellLat}, {x, y + devCellLat}, {x, y}}
			cb := cell.Bound()
			for _, t := range c.towns {
				if !t.t.Boundary.Bound().Intersects(cb) {
					continue
				}
				for _, tp := range t.t.Boundary {
					if !tp.Bound().Intersects(cb) {
						continue
					}
					for _, p := range geo.ClipToConvex(tp[0], cell) {
						p = snapMulti(orb.MultiPolygon{p})[0]
						keep := c.rng.Float64() < devKeep
						if !keep || geo.AreaMu(p) < minDevPieceMu {
							continue
						}
						c.ids.devb++
						pc := newPiece(p[0])
						t.devb = append(t.devb, pc)
						c.devb = append(c.devb, pc)
						c.ds.Protected = append(c.ds.Protected, planner.ProtectedArea{
							ID: c.prefix + fmt.Sprintf("DB-%05d", c.ids.devb), Kind: planner.ProtectedDevBoundary,
							Name: t.t.NameZh + "城镇开发边界", Geometry: orb.MultiPolygon{p},
						})
					}
				}
			}
		}
	}
}

// minDevPieceMu drops slivers of the development-boundary grid (mu).
const minDevPieceMu = 15

// protectedLand places basic farmland in every town and the ecological
// red line in the hill towns: convex ellipses inside the town, disjoint
// from the others of their layer.
func (c *county) protectedLand(t *town) error {
	km2 := geo.AreaM2(t.t.Boundary) / 1e6
	nf := min(5, 1+int(km2*farmPerKm2)+c.rng.IntN(2))
	maxM := math.Min(farmMaxM, farmScaleM*math.Sqrt(km2))
	for i := range nf {
		r, err := c.placeEllipse(t, maxM/2, maxM, c.farmland)
		if err != nil {
			return fmt.Errorf("town %s farmland %d: %w", t.t.Code, i, err)
		}
		c.ids.farmland++
		pc := newPiece(r)
		t.farmland = append(t.farmland, pc)
		c.farmland = append(c.farmland, pc)
		c.ds.Protected = append(c.ds.Protected, planner.ProtectedArea{
			ID: c.prefix + fmt.Sprintf("BF-%04d", c.ids.farmland), Kind: planner.ProtectedFarmland,
			Name: fmt.Sprintf("%s永久基本农田%d", t.t.NameZh, i+1), Geometry: orb.MultiPolygon{{r}},
		})
	}
	if !redlineTowns[t.fact.code] {
		return nil
	}
	r, err := c.placeEllipse(t, redMinM, redMaxM, c.redline)
	if err != nil {
		return fmt.Errorf("town %s red line: %w", t.t.Code, err)
	}
	c.ids.redline++
	pc := newPiece(r)
	t.redline = append(t.redline, pc)
	c.redline = append(c.redline, pc)
	c.ds.Protected = append(c.ds.Protected, planner.ProtectedArea{
		ID: c.prefix + fmt.Sprintf("RL-%03d", c.ids.redline), Kind: planner.ProtectedRedline,
		Name: t.t.NameZh + "生态保护红线", Geometry: orb.MultiPolygon{{r}},
	})
	return nil
}

// placeEllipse finds room for a convex ellipse polygon inside t, clear of
// the pieces in avoid.
func (c *county) placeEllipse(t *town, minM, maxM float64, avoid []piece) (orb.Ring, error) {
	for range placeTries {
		a := minM + c.rng.Float64()*(maxM-minM)
		b := a * (0.5 + 0.5*c.rng.Float64())
		r := ellipse(c.randomPointIn(t), a, b, c.rng.Float64()*math.Pi, 8)
		if !insideTown(r, t) || overlapMu(r, avoid) > 0 {
			continue
		}
		return r, nil
	}
	return nil, fmt.Errorf("no room after %d tries", placeTries)
}
