package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// county builds one copy of the county into ds.
type county struct {
	rng     *rand.Rand
	copyNo  int    // 0 for Cixi itself and for every county of a province
	code    string // the county's code (Town.County)
	prefix  string // a province county's id prefix, "c01-"; "" for Cixi and its copies
	outline orb.Ring
	towns   []*town
	ds      *planner.Dataset
	ids     *idCounter

	farmland, redline, devb []piece // protected pieces of this copy
	parcels                 []orb.Bound
}

// town is a town of one copy with its generation state.
type town struct {
	fact     townFact
	t        planner.Town
	cell     orb.Ring // its Voronoi cell (convex)
	farmland []piece
	redline  []piece
	devb     []piece
}

// piece is a convex protected polygon with its bound, for quick tests.
type piece struct {
	ring  orb.Ring
	bound orb.Bound
}

func newPiece(r orb.Ring) piece { return piece{ring: r, bound: r.Bound()} }

func (c *county) newTown(f townFact, boundary orb.MultiPolygon, cell orb.Ring, seat orb.Point) *town {
	code, zh, en := f.code, f.nameZh, f.nameEn
	if c.copyNo > 0 {
		n := c.copyNo + 1
		code = fmt.Sprintf("%s%d", f.code, n)
		zh = fmt.Sprintf("%s（副本%d）", f.nameZh, n)
		en = fmt.Sprintf("%s (copy %d)", f.nameEn, n)
	}
	return &town{fact: f, cell: cell, t: planner.Town{
		Code: c.prefix + code, NameZh: zh, NameEn: en, Type: f.typ, County: c.code,
		Industries: append([]string(nil), f.inds...),
		Seat:       seat, Boundary: boundary, Synthetic: true,
	}}
}

func (c *county) build() error {
	c.devBoundary()
	for _, t := range c.towns {
		if err := c.protectedLand(t); err != nil {
			return err
		}
	}
	if err := c.lockedParks(); err != nil {
		return err
	}
	if err := c.candidates(); err != nil {
		return err
	}
	for _, t := range c.towns {
		c.ds.Towns = append(c.ds.Towns, t.t)
	}
	c.quotas()
	c.enterprises()
	return nil
}

// randomPointIn draws a point uniformly inside t's boundary.
func (c *county) randomPointIn(t *town) orb.Point {
	b := t.t.Boundary.Bound()
	for {
		p := orb.Point{b.Min[0] + c.rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + c.rng.Float64()*(b.Max[1]-b.Min[1])}
		if planar.MultiPolygonContains(t.t.Boundary, p) {
			return p
		}
	}
}

// insideTown reports whether the convex ring r lies wholly inside t
// (and so inside the county): its area inside t equals its area.
func insideTown(r orb.Ring, t *town) bool {
	for _, p := range r {
		if !planar.MultiPolygonContains(t.t.Boundary, p) {
			return false
		}
	}
	var in float64
	for _, poly := range t.t.Boundary {
		if poly.Bound().Intersects(r.Bound()) {
			in += geo.AreaMu(geo.ClipToConvex(poly[0], r))
		}
	}
	return math.Abs(in-geo.AreaMu(r)) < insideTolMu
}

// insideTolMu is the slack of insideTown's area comparison: clipping a
// ring that lies inside rebuilds its corners from line crossings, which
// moves the area by ~1e-9 mu.
const insideTolMu = 1e-6

// rectangle returns a closed ring: a w × h metre rectangle centred on c
// (lon/lat), rotated by angle (radians), built in the local Gauss–Krüger
// zone so its sides are metric, counter-clockwise.
func rectangle(c orb.Point, w, h, angle float64) orb.Ring {
	z := geo.ZoneAt(c[0])
	cx, cy := z.Forward(c[0], c[1])
	ca, sa := math.Cos(angle), math.Sin(angle)
	var r orb.Ring
	for _, d := range [][2]float64{{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}} {
		lon, lat := z.Inverse(cx+d[0]*ca-d[1]*sa, cy+d[0]*sa+d[1]*ca)
		r = append(r, snap(orb.Point{lon, lat}))
	}
	return append(r, r[0])
}

// ellipse returns a closed convex ring of n vertices on an ellipse of
// semi-axes a and b metres centred on c, rotated by angle.
func ellipse(c orb.Point, a, b, angle float64, n int) orb.Ring {
	z := geo.ZoneAt(c[0])
	cx, cy := z.Forward(c[0], c[1])
	ca, sa := math.Cos(angle), math.Sin(angle)
	var r orb.Ring
	for k := range n {
		th := 2 * math.Pi * float64(k) / float64(n)
		x, y := a*math.Cos(th), b*math.Sin(th)
		lon, lat := z.Inverse(cx+x*ca-y*sa, cy+x*sa+y*ca)
		r = append(r, snap(orb.Point{lon, lat}))
	}
	return append(r, r[0])
}

// overlapMu returns the convex ring r's overlap with a layer's pieces,
// mu. Pieces may be concave (development-boundary pieces on the coast),
// so each piece is clipped by r, not r by the piece.
func overlapMu(r orb.Ring, ps []piece) float64 {
	b := r.Bound()
	var s float64
	for _, p := range ps {
		if p.bound.Intersects(b) {
			s += geo.AreaMu(geo.ClipToConvex(p.ring, r))
		}
	}
	return s
}

// overlapOf computes a parcel's protected-land conflict. Development
// boundary pieces are disjoint, so the area outside is the parcel's area
// less the sum of its overlaps with them.
func (c *county) overlapOf(id string, r orb.Ring) planner.Overlap {
	o := planner.Overlap{ParcelID: id, FarmlandMu: overlapMu(r, c.farmland), RedlineMu: overlapMu(r, c.redline)}
	o.OutsideBoundaryMu = geo.AreaMu(r) - overlapMu(r, c.devb)
	if o.OutsideBoundaryMu < insideTolMu {
		o.OutsideBoundaryMu = 0
	}
	return o
}

// free reports whether r keeps clear of every parcel placed so far (with
// a gap of about 50 m between bounds).
func (c *county) free(r orb.Ring) bool {
	b := r.Bound().Pad(parcelGapDeg)
	for _, o := range c.parcels {
		if o.Intersects(b) {
			return false
		}
	}
	return true
}

// parcelGapDeg pads parcel bounds when checking for room (≈ 50 m).
const parcelGapDeg = 0.0005

// round1 rounds to one decimal.
func round1(x float64) float64 { return math.Round(x*10) / 10 }
