package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
)

// Options choose the demo dataset.
type Options struct {
	// Seed drives every synthetic choice; the same seed gives the same
	// dataset, byte for byte once written.
	Seed int64
	// Scale is the number of copies of the county, laid side by side
	// (1 is Cixi; 3 and 10 are for solver benchmarks). 0 means 1.
	Scale int
}

// DefaultSeed is the seed `parkplan demo` uses unless told otherwise.
const DefaultSeed = 2019

// MaxScale bounds Options.Scale (copies of the county).
const MaxScale = 25

// Copy layout: copies sit on a grid of ⌈√Scale⌉ columns, each this far
// from the last (the county spans 0.59° of longitude and 0.45° of latitude).
const (
	copyStepLon = 0.65 // degrees east per column
	copyStepLat = 0.50 // degrees south per row
)

// Generate builds the demo dataset: one county (the implied default
// county, planner.DefaultCounty), of Options.Scale copies laid side by
// side. Errors are programmer errors of the generator (a layout that
// cannot be placed) or an invalid Options.
func Generate(opts Options) (*planner.Dataset, error) {
	if opts.Scale == 0 {
		opts.Scale = 1
	}
	if opts.Scale < 1 || opts.Scale > MaxScale {
		return nil, planner.FieldErrorf("scale", "scale %d out of range 1–%d", opts.Scale, MaxScale)
	}
	return layOut(opts.Seed, opts.Scale, false)
}

// MaxCounties bounds Province's number of counties (Zhejiang has about 90).
const MaxCounties = 100

// Province builds a demo province of n distinct Cixi-like counties: county
// k (0-based) is drawn with seed stream k (so each has its own parks,
// candidates, protected land, quotas and firms), its outline moved to its
// own cell of a grid (no two counties overlap), its code "cNN" and every
// town, parcel, protected area and firm id prefixed by it. Province(opts,
// 1) is Generate(opts): the demo as it always was (at any opts.Scale), in
// the implied default county. With n > 1, opts.Scale must be 0 or 1.
func Province(opts Options, n int) (*planner.Dataset, error) {
	if n < 1 || n > MaxCounties {
		return nil, planner.FieldErrorf("counties", "counties %d out of range 1–%d", n, MaxCounties)
	}
	if n == 1 {
		return Generate(opts) // any scale: `parkplan demo --scale 3`
	}
	if opts.Scale > 1 {
		return nil, planner.FieldErrorf("scale", "scale %d with %d counties: a province's counties are one copy each (use --scale or --counties)", opts.Scale, n)
	}
	return layOut(opts.Seed, n, true)
}

// layOut lays n copies of the county on a grid, each drawn with its own
// seed stream: copies of one county (counties false: Generate's scale) or
// n counties (Province).
func layOut(seed int64, n int, counties bool) (*planner.Dataset, error) {
	outline, err := countyOutline()
	if err != nil {
		return nil, err
	}
	seats := make([]orb.Point, len(cixiTowns))
	for i, t := range cixiTowns {
		seats[i] = orb.Point{t.lon, t.lat}
	}
	bounds, cells, err := townBoundaries(outline, seats)
	if err != nil {
		return nil, err
	}
	for i := range bounds {
		bounds[i] = snapMulti(bounds[i])
	}
	ds := &planner.Dataset{Industries: industries(), Overlaps: map[string]planner.Overlap{}}
	if !counties {
		ds.Counties = []planner.County{planner.DefaultCounty()}
	}
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	ids := &idCounter{}
	for k := range n {
		off := orb.Point{float64(k%cols) * copyStepLon, -float64(k/cols) * copyStepLat}
		build := func(stream uint64, into *planner.Dataset, ids *idCounter) (*county, error) {
			c := &county{
				rng:     rand.New(rand.NewPCG(uint64(seed), stream)),
				copyNo:  k,
				outline: shiftRing(outline, off),
				ds:      into,
				ids:     ids,
				code:    planner.DefaultCountyCode,
			}
			if counties {
				c.code, c.prefix, c.copyNo = countyCode(k), countyCode(k)+"-", 0
			}
			for i, f := range cixiTowns {
				c.towns = append(c.towns, c.newTown(f, shiftMulti(bounds[i], off), shiftRing(cells[i], off), addPt(seats[i], off)))
			}
			return c, c.build()
		}
		if !counties {
			if _, err := build(uint64(k), ds, ids); err != nil {
				return nil, fmt.Errorf("demo: copy %d: %w", k+1, err)
			}
			continue
		}
		// A county is built apart and merged: a draw whose parks cannot
		// all be placed is drawn again from the next stream.
		var err error
		for attempt := range maxCountyDraws {
			sub := &planner.Dataset{Overlaps: map[string]planner.Overlap{}}
			var c *county
			if c, err = build(uint64(k+attempt*countyStreamStride), sub, &idCounter{}); err == nil {
				ds.Counties = append(ds.Counties, provinceCounty(k, c.outline, addPt(seats[seatTown], off)))
				merge(ds, sub)
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("demo: county %s: %d draws: %w", countyCode(k), maxCountyDraws, err)
		}
	}
	sortDataset(ds)
	return ds, nil
}

// A province's county k is drawn from seed stream k, or, when its parks
// cannot all be placed, k + countyStreamStride, k + 2·countyStreamStride, …
// up to maxCountyDraws draws (copies of --scale keep stream k alone).
const (
	countyStreamStride = 1000
	maxCountyDraws     = 8
)

// merge appends sub's layers to ds.
func merge(ds, sub *planner.Dataset) {
	ds.Towns = append(ds.Towns, sub.Towns...)
	ds.Parcels = append(ds.Parcels, sub.Parcels...)
	ds.Protected = append(ds.Protected, sub.Protected...)
	ds.Quotas = append(ds.Quotas, sub.Quotas...)
	ds.Enterprises = append(ds.Enterprises, sub.Enterprises...)
	for id, o := range sub.Overlaps {
		ds.Overlaps[id] = o
	}
}

// countyCode is county k's code in a demo province: c01, c02, ….
func countyCode(k int) string { return fmt.Sprintf("c%02d", k+1) }

// seatTown is the index in cixiTowns of the county seat's town (浒山街道).
const seatTown = 0

// countiesPerPrefecture groups a demo province's counties into
// prefectures (Zhejiang: 11 prefectures, about 90 counties).
const countiesPerPrefecture = 8

// provinceCounty names county k of a demo province: code "c01", "c02", …
// (three digits past 99), in prefecture 示范市1, 示范市2, … of
// countiesPerPrefecture counties each.
func provinceCounty(k int, outline orb.Ring, seat orb.Point) planner.County {
	ring := snapRing(outline)
	if ring.Orientation() != orb.CCW {
		ring.Reverse() // as the writer writes it (RFC 7946: outer rings counter-clockwise)
	}
	return planner.County{
		Code:       countyCode(k),
		NameZh:     fmt.Sprintf("示范县%02d", k+1),
		NameEn:     fmt.Sprintf("Demo County %02d", k+1),
		Prefecture: fmt.Sprintf("示范市%d", k/countiesPerPrefecture+1),
		Seat:       snap(seat),
		Boundary:   orb.MultiPolygon{{ring}},
	}
}

// idCounter numbers features across copies.
type idCounter struct{ farmland, redline, devb, firm int }

func sortDataset(ds *planner.Dataset) {
	slices.SortFunc(ds.Counties, func(a, b planner.County) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(ds.Towns, func(a, b planner.Town) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(ds.Parcels, func(a, b planner.Parcel) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(ds.Protected, func(a, b planner.ProtectedArea) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(ds.Quotas, func(a, b planner.Quota) int {
		return cmp.Or(strings.Compare(a.Town, b.Town), cmp.Compare(a.Year, b.Year))
	})
	slices.SortFunc(ds.Industries, func(a, b planner.Industry) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(ds.Enterprises, func(a, b planner.Enterprise) int { return strings.Compare(a.ID, b.ID) })
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func shiftRing(r orb.Ring, off orb.Point) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = addPt(p, off)
	}
	return out
}

func shiftMulti(mp orb.MultiPolygon, off orb.Point) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		out[i] = make(orb.Polygon, len(p))
		for j, r := range p {
			out[i][j] = shiftRing(r, off)
		}
	}
	return out
}

func addPt(p, q orb.Point) orb.Point { return orb.Point{p[0] + q[0], p[1] + q[1]} }

// snapDeg is the grid every generated coordinate is rounded to (1e-8°,
// about 1 mm), the precision the dataset writer keeps. Rounding in memory
// makes the Dataset equal to what is written and read back, and makes
// the towns' shared boundaries bit-identical on both sides (a Voronoi
// vertex computed from different bisectors differs in the last bits).
const snapDeg = 1e-8

func snap(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]/snapDeg) * snapDeg, math.Round(p[1]/snapDeg) * snapDeg}
}

// snapRing rounds r's coordinates and drops vertices that become repeats.
func snapRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, 0, len(r))
	for _, p := range r {
		q := snap(p)
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	return out
}

func snapMulti(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		var q orb.Polygon
		for _, r := range p {
			q = append(q, snapRing(r))
		}
		out = append(out, q)
	}
	return out
}
