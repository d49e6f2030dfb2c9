package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// bd09Pi is the constant Baidu's BD-09 obfuscation uses in place of π
// (π × 3000 / 180), and bd09DLon, bd09DLat its fixed offsets, degrees.
const (
	bd09Pi   = math.Pi * 3000.0 / 180.0
	bd09DLon = 0.0065
	bd09DLat = 0.006
)

// GCJ02ToBD09 converts a GCJ-02 lon/lat to Baidu's BD-09 (the frame of
// Baidu Maps and of coordinates copied from it).
func GCJ02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*bd09Pi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*bd09Pi)
	return orb.Point{z*math.Cos(theta) + bd09DLon, z*math.Sin(theta) + bd09DLat}
}

// bd09Iterations refine the closed-form inverse against the forward
// formula; two take it from ~0.2 m to well under a millimetre.
const bd09Iterations = 2

// BD09ToGCJ02 converts a BD-09 lon/lat to GCJ-02; with GCJ02ToWGS84 it
// takes a Baidu position to WGS84/CGCS2000. It starts from the usual
// closed-form inverse (off by up to ~0.2 m) and corrects it by fixed-point
// steps against GCJ02ToBD09 (TestBD09RoundTrip: within 1 mm).
func BD09ToGCJ02(p orb.Point) orb.Point {
	x, y := p[0]-bd09DLon, p[1]-bd09DLat
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*bd09Pi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*bd09Pi)
	q := orb.Point{z * math.Cos(theta), z * math.Sin(theta)}
	for range bd09Iterations {
		f := GCJ02ToBD09(q)
		q = orb.Point{q[0] + p[0] - f[0], q[1] + p[1] - f[1]}
	}
	return q
}
