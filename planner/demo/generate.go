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

// Generate builds the demo dataset. Errors are programmer errors of the
// generator (a layout that cannot be placed) or an invalid Options.
func Generate(opts Options) (*planner.Dataset, error) {
	if opts.Scale == 0 {
		opts.Scale = 1
	}
	if opts.Scale < 1 || opts.Scale > MaxScale {
		return nil, planner.FieldErrorf("scale", "scale %d out of range 1–%d", opts.Scale, MaxScale)
	}
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
	cols := int(math.Ceil(math.Sqrt(float64(opts.Scale))))
	ids := &idCounter{}
	for k := range opts.Scale {
		off := orb.Point{float64(k%cols) * copyStepLon, -float64(k/cols) * copyStepLat}
		c := &county{
			rng:     rand.New(rand.NewPCG(uint64(opts.Seed), uint64(k))),
			copyNo:  k,
			outline: shiftRing(outline, off),
			ds:      ds,
			ids:     ids,
		}
		for i, f := range cixiTowns {
			c.towns = append(c.towns, c.newTown(f, shiftMulti(bounds[i], off), shiftRing(cells[i], off), addPt(seats[i], off)))
		}
		if err := c.build(); err != nil {
			return nil, fmt.Errorf("demo: copy %d: %w", k+1, err)
		}
	}
	sortDataset(ds)
	return ds, nil
}

// idCounter numbers features across copies.
type idCounter struct{ farmland, redline, devb, firm int }

func sortDataset(ds *planner.Dataset) {
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
