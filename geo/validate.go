package geo

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Reasons a geometry is invalid. ValidatePolygon and ValidateGeometry
// return an *InvalidError wrapping one of them, so callers can test with
// errors.Is and still print where the fault is.
var (
	ErrEmpty            = errors.New("empty geometry")
	ErrTooFewPoints     = errors.New("too few points")
	ErrUnclosedRing     = errors.New("ring is not closed (last point differs from first)")
	ErrNotFinite        = errors.New("coordinate is NaN or infinite")
	ErrOutOfRange       = errors.New("coordinate outside lon [-180,180] / lat [-90,90] (swapped, or projected without a declared CRS?)")
	ErrSelfIntersection = errors.New("rings intersect")
	ErrHoleOutside      = errors.New("hole is not inside its shell")
	ErrNestedHole       = errors.New("hole lies inside another hole")
	ErrOverlappingParts = errors.New("multipolygon parts overlap")
	ErrUnsupportedType  = errors.New("unsupported geometry type")
)

// InvalidError says what is wrong with a geometry and where. Indexes are
// zero-based; -1 means "not applicable". Ring 0 is a polygon's shell,
// rings 1… its holes. For ErrSelfIntersection, With names the other
// segment met (its start vertex).
type InvalidError struct {
	Err     error     // one of the Err… reasons above
	Polygon int       // part of a MultiPolygon (0 for a Polygon), -1 if none
	Ring    int       // ring within the polygon, -1 if none
	Vertex  int       // vertex within the ring (a segment is named by its start vertex), -1 if none
	At      orb.Point // the offending coordinate (or intersection point) when known
	With    *Location // the other place involved (intersections, nesting), or nil
}

// Location names a vertex of a (multi)polygon.
type Location struct{ Polygon, Ring, Vertex int }

func (l Location) String() string {
	s := ""
	if l.Polygon >= 0 {
		s = fmt.Sprintf("polygon %d ", l.Polygon)
	}
	if l.Ring >= 0 {
		s += fmt.Sprintf("ring %d ", l.Ring)
	}
	if l.Vertex >= 0 {
		s += fmt.Sprintf("vertex %d ", l.Vertex)
	}
	if s == "" {
		return "geometry"
	}
	return s[:len(s)-1]
}

func (e *InvalidError) Error() string {
	loc := Location{e.Polygon, e.Ring, e.Vertex}.String()
	msg := loc
	if e.Vertex >= 0 || e.Err == ErrSelfIntersection {
		msg += fmt.Sprintf(" (%v %v)", fmtCoord(e.At[0]), fmtCoord(e.At[1]))
	}
	msg += ": " + e.Err.Error()
	if e.With != nil {
		msg += " (with " + e.With.String() + ")"
	}
	return msg
}

func fmtCoord(v float64) string { return fmt.Sprintf("%.7g", v) }

// Unwrap returns the reason, for errors.Is.
func (e *InvalidError) Unwrap() error { return e.Err }

// ValidateGeometry checks a lon/lat geometry (degrees) the way the importer
// needs: Point, MultiPoint, LineString, Polygon and MultiPolygon (and
// Collections of them) are accepted; see ValidatePolygon for polygons.
// Points must be finite and in range; lines need two distinct points.
// It returns nil or an *InvalidError.
func ValidateGeometry(g orb.Geometry) error {
	switch g := g.(type) {
	case nil:
		return &InvalidError{Err: ErrEmpty, Polygon: -1, Ring: -1, Vertex: -1}
	case orb.Point:
		return checkCoord(g, -1, -1, -1)
	case orb.MultiPoint:
		if len(g) == 0 {
			return &InvalidError{Err: ErrEmpty, Polygon: -1, Ring: -1, Vertex: -1}
		}
		for i, p := range g {
			if err := checkCoord(p, -1, -1, i); err != nil {
				return err
			}
		}
		return nil
	case orb.LineString:
		for i, p := range g {
			if err := checkCoord(p, -1, -1, i); err != nil {
				return err
			}
		}
		for i := 1; i < len(g); i++ {
			if g[i] != g[0] {
				return nil
			}
		}
		return &InvalidError{Err: ErrTooFewPoints, Polygon: -1, Ring: -1, Vertex: -1}
	case orb.Polygon:
		return validatePolygons([]orb.Polygon{g}, false)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return &InvalidError{Err: ErrEmpty, Polygon: -1, Ring: -1, Vertex: -1}
		}
		return validatePolygons(g, true)
	case orb.Collection:
		for _, c := range g {
			if err := ValidateGeometry(c); err != nil {
				return err
			}
		}
		return nil
	}
	return &InvalidError{Err: fmt.Errorf("%w: %T", ErrUnsupportedType, g), Polygon: -1, Ring: -1, Vertex: -1}
}

// ValidatePolygon checks a lon/lat polygon (degrees): it has a shell;
// every ring has ≥ 4 points, is closed, and has only finite, in-range
// coordinates; no ring crosses or touches itself, rings meet each other
// at single points at most (a shared edge or a crossing is an error);
// every hole lies inside the shell and no hole inside another. Ring
// orientation is not checked (RFC 7946 says readers must not reject it).
// The checks are those of OGC simple-feature validity that PostGIS
// ST_IsValid applies, except that a hole touching the shell at two points
// (which disconnects the interior) is not detected.
//
// It returns nil or an *InvalidError naming ring and vertex.
// Intersections are found by a sweep over x-sorted segments: O(n log n)
// plus the pairs whose x-ranges overlap — linear-ish for outlines and
// parcels, but up to O(n²) for a jagged ring whose edges each span much
// of its width.
func ValidatePolygon(p orb.Polygon) error { return validatePolygons([]orb.Polygon{p}, false) }

func validatePolygons(ps []orb.Polygon, multi bool) error {
	pi := func(i int) int {
		if multi {
			return i
		}
		return 0
	}
	for i, p := range ps {
		if len(p) == 0 {
			return &InvalidError{Err: ErrEmpty, Polygon: pi(i), Ring: -1, Vertex: -1}
		}
		for j, r := range p {
			if len(r) == 0 {
				return &InvalidError{Err: ErrEmpty, Polygon: pi(i), Ring: j, Vertex: -1}
			}
			for k, c := range r {
				if err := checkCoord(c, pi(i), j, k); err != nil {
					return err
				}
			}
			if len(r) < 4 {
				return &InvalidError{Err: ErrTooFewPoints, Polygon: pi(i), Ring: j, Vertex: -1}
			}
			if r[0] != r[len(r)-1] {
				return &InvalidError{Err: ErrUnclosedRing, Polygon: pi(i), Ring: j, Vertex: len(r) - 1, At: r[len(r)-1]}
			}
			if distinctVertices(r) < 3 {
				return &InvalidError{Err: ErrTooFewPoints, Polygon: pi(i), Ring: j, Vertex: -1}
			}
		}
	}
	if err := findIntersections(ps, pi); err != nil {
		return err
	}
	for i, p := range ps {
		for j := 1; j < len(p); j++ {
			if v, ok := ringInside(p[j], p[0]); !ok {
				return &InvalidError{Err: ErrHoleOutside, Polygon: pi(i), Ring: j, Vertex: v, At: p[j][v]}
			}
			for k := 1; k < len(p); k++ {
				if k != j {
					if v, ok := ringInside(p[j], p[k]); ok {
						return &InvalidError{Err: ErrNestedHole, Polygon: pi(i), Ring: j, Vertex: v, At: p[j][v],
							With: &Location{pi(i), k, -1}}
					}
				}
			}
		}
	}
	if multi {
		for i := range ps {
			bi := ps[i][0].Bound()
			for j := range ps {
				if i == j || !bi.Intersects(ps[j][0].Bound()) {
					continue
				}
				// part j's shell inside part i's interior (inside shell, outside every hole)?
				v, in := ringInside(ps[j][0], ps[i][0])
				if !in {
					continue
				}
				inHole := false
				for _, h := range ps[i][1:] {
					if _, ok := ringInside(ps[j][0], h); ok {
						inHole = true
						break
					}
				}
				if !inHole {
					return &InvalidError{Err: ErrOverlappingParts, Polygon: j, Ring: 0, Vertex: v, At: ps[j][0][v],
						With: &Location{i, 0, -1}}
				}
			}
		}
	}
	return nil
}

func checkCoord(c orb.Point, poly, ring, vertex int) error {
	for _, v := range c {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &InvalidError{Err: ErrNotFinite, Polygon: poly, Ring: ring, Vertex: vertex, At: c}
		}
	}
	if c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
		return &InvalidError{Err: ErrOutOfRange, Polygon: poly, Ring: ring, Vertex: vertex, At: c}
	}
	return nil
}

// distinctVertices counts r's distinct vertices, stopping at 3 (all the
// validity check needs), without allocating.
func distinctVertices(r orb.Ring) int {
	var seen [3]orb.Point
	n := 0
	for _, p := range r {
		dup := false
		for _, q := range seen[:n] {
			if p == q {
				dup = true
				break
			}
		}
		if !dup {
			seen[n] = p
			n++
			if n == 3 {
				return 3
			}
		}
	}
	return n
}

// ringInside reports whether ring a lies inside ring b, judged by the
// first vertex of a that is not on b's boundary (rings already known not
// to cross), and returns that vertex's index.
func ringInside(a, b orb.Ring) (int, bool) {
	for i, p := range a {
		switch pointInRing(p, b) {
		case 1:
			return i, true
		case -1:
			return i, false
		}
	}
	// every vertex on b's boundary: judge by the midpoint of a's first edge
	m := orb.Point{(a[0][0] + a[1][0]) / 2, (a[0][1] + a[1][1]) / 2}
	return 0, pointInRing(m, b) >= 0
}

// pointInRing returns 1 inside, 0 on the boundary, -1 outside (planar in
// lon/lat; an even-odd crossing count).
func pointInRing(p orb.Point, r orb.Ring) int {
	in := false
	n := len(r)
	for i := 0; i < n-1; i++ {
		a, b := r[i], r[i+1]
		if onSegment(a, b, p) {
			return 0
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if x > p[0] {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}

// orient is the sign of the cross product (b−a)×(c−a): >0 left turn.
func orient(a, b, c orb.Point) float64 {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether p lies on the closed segment ab.
func onSegment(a, b, p orb.Point) bool {
	return orient(a, b, p) == 0 &&
		math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// segment is one non-degenerate edge of a ring, for the sweep.
type segment struct {
	a, b       orb.Point
	minX, maxX float64
	poly, ring int
	vertex     int // index of a in the ring
	seq, count int // position among the ring's non-degenerate edges, and their number
}

// findIntersections sweeps all edges of ps in x order and reports the
// first forbidden contact.
func findIntersections(ps []orb.Polygon, pi func(int) int) error {
	n := 0
	for _, p := range ps {
		for _, r := range p {
			n += len(r)
		}
	}
	segs := make([]segment, 0, n)
	for i, p := range ps {
		for j, r := range p {
			start := len(segs)
			for k := 0; k < len(r)-1; k++ {
				if r[k] == r[k+1] {
					continue // repeated point: allowed, not an edge
				}
				segs = append(segs, segment{a: r[k], b: r[k+1], minX: math.Min(r[k][0], r[k+1][0]),
					maxX: math.Max(r[k][0], r[k+1][0]), poly: i, ring: j, vertex: k, seq: len(segs) - start})
			}
			for s := start; s < len(segs); s++ {
				segs[s].count = len(segs) - start
			}
		}
	}
	slices.SortStableFunc(segs, func(x, y segment) int { return cmp.Compare(x.minX, y.minX) })
	active := make([]int, 0, 16)
	for i := range segs {
		s := &segs[i]
		keep := active[:0]
		for _, j := range active {
			if segs[j].maxX >= s.minX {
				keep = append(keep, j)
			}
		}
		active = keep
		for _, j := range active {
			if err := checkPair(&segs[j], s, pi); err != nil {
				return err
			}
		}
		active = append(active, i)
	}
	return nil
}

// checkPair tests two edges against the validity rules.
func checkPair(s, t *segment, pi func(int) int) error {
	if math.Max(s.a[1], s.b[1]) < math.Min(t.a[1], t.b[1]) || math.Max(t.a[1], t.b[1]) < math.Min(s.a[1], s.b[1]) {
		return nil
	}
	o1, o2 := orient(s.a, s.b, t.a), orient(s.a, s.b, t.b)
	o3, o4 := orient(t.a, t.b, s.a), orient(t.a, t.b, s.b)
	fail := func(at orb.Point) error {
		// report the edge that comes first in input order, with the other
		first, second := s, t
		if t.poly < s.poly || (t.poly == s.poly && (t.ring < s.ring || (t.ring == s.ring && t.vertex < s.vertex))) {
			first, second = t, s
		}
		return &InvalidError{Err: ErrSelfIntersection, Polygon: pi(first.poly), Ring: first.ring, Vertex: first.vertex,
			At: at, With: &Location{pi(second.poly), second.ring, second.vertex}}
	}
	collinear := o1 == 0 && o2 == 0
	if collinear {
		// overlap of positive length is always an error (shared edge or spike)
		if overlapLength(s, t) {
			return fail(s.a)
		}
	}
	if o1*o2 < 0 && o3*o4 < 0 {
		return fail(crossPoint(s.a, s.b, t.a, t.b)) // proper crossing
	}
	// touching at a point: find it
	var touch []orb.Point
	for _, c := range []struct {
		a, b, p orb.Point
		o       float64
	}{{s.a, s.b, t.a, o1}, {s.a, s.b, t.b, o2}, {t.a, t.b, s.a, o3}, {t.a, t.b, s.b, o4}} {
		if c.o == 0 && onSegment(c.a, c.b, c.p) {
			touch = append(touch, c.p)
		}
	}
	if len(touch) == 0 {
		return nil
	}
	if s.poly != t.poly || s.ring != t.ring {
		return nil // different rings may touch at a point
	}
	// same ring: consecutive edges share exactly their common vertex
	adjacent := s.seq+1 == t.seq || t.seq+1 == s.seq ||
		(s.seq == 0 && t.seq == s.count-1) || (t.seq == 0 && s.seq == t.count-1)
	if adjacent {
		for _, p := range touch {
			shared := p == s.a || p == s.b
			shared = shared && (p == t.a || p == t.b)
			if !shared {
				return fail(p)
			}
		}
		return nil
	}
	return fail(touch[0])
}

// overlapLength reports whether two collinear segments share more than a point.
func overlapLength(s, t *segment) bool {
	// project on the dominant axis
	ax := 0
	if math.Abs(s.b[1]-s.a[1]) > math.Abs(s.b[0]-s.a[0]) {
		ax = 1
	}
	lo := math.Max(math.Min(s.a[ax], s.b[ax]), math.Min(t.a[ax], t.b[ax]))
	hi := math.Min(math.Max(s.a[ax], s.b[ax]), math.Max(t.a[ax], t.b[ax]))
	return hi > lo
}

// crossPoint is the intersection of lines ab and cd (assumed to cross).
func crossPoint(a, b, c, d orb.Point) orb.Point {
	den := (b[0]-a[0])*(d[1]-c[1]) - (b[1]-a[1])*(d[0]-c[0])
	if den == 0 {
		return a
	}
	u := ((c[0]-a[0])*(d[1]-c[1]) - (c[1]-a[1])*(d[0]-c[0])) / den
	return orb.Point{a[0] + u*(b[0]-a[0]), a[1] + u*(b[1]-a[1])}
}
