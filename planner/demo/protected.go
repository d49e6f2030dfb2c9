package demo

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Protected-land layout (synthetic).
const (
	devCellLon  = 0.04 // development-boundary grid cell, degrees of longitude (≈ 3.9 km)
	devCellLat  = 0.03 // and of latitude (≈ 3.3 km)
	devKeep     = 0.82 // share of cells inside the boundary; the rest is outside it
	farmPerTown = 3    // basic-farmland polygons per town: this many plus 0–2
	farmMinM    = 500  // farmland ellipse semi-axes, metres
	farmMaxM    = 1100
	redMinM     = 1000 // red-line ellipse semi-axes, metres
	redMaxM     = 1800
	placeTries  = 4000 // attempts to place one polygon before giving up
)

// devBoundary cuts a lon/lat grid by the towns' Voronoi cells: every piece
// is convex, pieces are disjoint, and each lies in one town. A piece is
// kept when its centre lies in the county and a draw says so (devKeep).
func (c *county) devBoundary() {
	b := c.outline.Bound()
	x0 := math.Floor(b.Min[0]/devCellLon) * devCellLon
	y0 := math.Floor(b.Min[1]/devCellLat) * devCellLat
	n := 0
	for y := y0; y < b.Max[1]; y += devCellLat {
		for x := x0; x < b.Max[0]; x += devCellLon {
			cell := orb.Ring{{x, y}, {x + devCellLon, y}, {x + devCellLon, y + devCellLat}, {x, y + devCellLat}, {x, y}}
			for _, t := range c.towns {
				p := geo.ClipConvex(cell, t.cell)
				if p == nil {
					continue
				}
				keep := c.rng.Float64() < devKeep // drawn for every piece, so the stream does not depend on the test below
				if !keep || !planar.RingContains(c.outline, geo.Centroid(p)) || !planar.MultiPolygonContains(t.t.Boundary, geo.Centroid(p)) {
					continue
				}
				n++
				c.ids.devb++
				pc := newPiece(p)
				t.devb = append(t.devb, pc)
				c.devb = append(c.devb, pc)
				c.ds.Protected = append(c.ds.Protected, planner.ProtectedArea{
					ID: fmt.Sprintf("DB-%05d", c.ids.devb), Kind: planner.ProtectedDevBoundary,
					Name: t.t.NameZh + "城镇开发边界", Geometry: orb.MultiPolygon{{p}},
				})
			}
		}
	}
}

// protectedLand places basic farmland in every town and the ecological
// red line in the hill towns: convex ellipses inside the town, disjoint
// from the others of their layer.
func (c *county) protectedLand(t *town) error {
	nf := farmPerTown + c.rng.IntN(3)
	for i := range nf {
		r, err := c.placeEllipse(t, farmMinM, farmMaxM, c.farmland)
		if err != nil {
			return fmt.Errorf("town %s farmland %d: %w", t.t.Code, i, err)
		}
		c.ids.farmland++
		pc := newPiece(r)
		t.farmland = append(t.farmland, pc)
		c.farmland = append(c.farmland, pc)
		c.ds.Protected = append(c.ds.Protected, planner.ProtectedArea{
			ID: fmt.Sprintf("BF-%04d", c.ids.farmland), Kind: planner.ProtectedFarmland,
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
		ID: fmt.Sprintf("RL-%03d", c.ids.redline), Kind: planner.ProtectedRedline,
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
