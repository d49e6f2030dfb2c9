package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// GCJ-02 ("Mars coordinates", 国测局坐标) is the obfuscated lon/lat frame
// that Chinese web maps (Amap/Gaode, Tencent, Aliyun DataV) publish. It is
// WGS84 plus a smooth, deterministic offset of a few hundred metres inside
// China and nothing outside it. The offset below uses the published
// constants: the Krasovsky semi-major axis and eccentricity and a fixed
// polynomial-plus-sines in the coordinates relative to (105°E, 35°N).
const (
	gcjSemiMajorM = 6378245.0              // Krasovsky 1940 semi-major axis, metres
	gcjEcc2       = 0.00669342162296594323 // Krasovsky first eccentricity squared
	gcjTolDeg     = 1e-10                  // inverse iteration stops below this, degrees (~0.01 mm)
	gcjMaxIter    = 30                     // the inverse converges in 3–5 steps
)

// InChina reports whether lon/lat (degrees) lies in the rectangle where
// GCJ-02 applies its offset (72.004–137.8347°E, 0.8293–55.8271°N).
func InChina(lon, lat float64) bool {
	return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

// gcjOffset returns the GCJ-02 offset (degrees) to add to a WGS84 lon/lat.
func gcjOffset(lon, lat float64) (dlon, dlat float64) {
	x, y := lon-105, lat-35
	// the shared periodic terms of both axes, in "metres-like" units
	wave := (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	sqx := math.Sqrt(math.Abs(x))
	north := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*sqx + wave +
		(20*math.Sin(y*math.Pi)+40*math.Sin(y/3*math.Pi))*2/3 +
		(160*math.Sin(y/12*math.Pi)+320*math.Sin(y*math.Pi/30))*2/3
	east := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*sqx + wave +
		(20*math.Sin(x*math.Pi)+40*math.Sin(x/3*math.Pi))*2/3 +
		(150*math.Sin(x/12*math.Pi)+300*math.Sin(x/30*math.Pi))*2/3
	// metres → degrees on the Krasovsky ellipsoid at this latitude
	phi := lat * deg
	s := math.Sin(phi)
	w2 := 1 - gcjEcc2*s*s
	w := math.Sqrt(w2)
	meridianR := gcjSemiMajorM * (1 - gcjEcc2) / (w2 * w)
	primeR := gcjSemiMajorM / w
	return east / (primeR * math.Cos(phi) * deg), north / (meridianR * deg)
}

// WGS84ToGCJ02 converts a WGS84 lon/lat point (degrees) to GCJ-02. Points
// outside China are returned unchanged.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if !InChina(p[0], p[1]) {
		return p
	}
	dlon, dlat := gcjOffset(p[0], p[1])
	return orb.Point{p[0] + dlon, p[1] + dlat}
}

// GCJ02ToWGS84 converts a GCJ-02 lon/lat point (degrees) to WGS84. The
// offset has no closed-form inverse; a fixed-point iteration w ← w − (F(w) −
// g) runs until the forward image of w matches p to 1e-10° (the offset's
// slope is ~1e-3, so it converges in a few steps). Points outside China are
// returned unchanged.
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if !InChina(p[0], p[1]) {
		return p
	}
	w := p
	for range gcjMaxIter {
		g := WGS84ToGCJ02(w)
		ex, ey := g[0]-p[0], g[1]-p[1]
		w[0] -= ex
		w[1] -= ey
		if math.Abs(ex) < gcjTolDeg && math.Abs(ey) < gcjTolDeg {
			break
		}
	}
	return w
}

// GeometryGCJ02ToWGS84 converts every coordinate of g from GCJ-02 to WGS84,
// in place (slice-backed geometries are overwritten), and returns g.
func GeometryGCJ02ToWGS84(g orb.Geometry) orb.Geometry {
	return apply(g, func(x, y float64) (float64, float64) {
		w := GCJ02ToWGS84(orb.Point{x, y})
		return w[0], w[1]
	})
}

// GeometryWGS84ToGCJ02 converts every coordinate of g from WGS84 to GCJ-02,
// in place, and returns g.
func GeometryWGS84ToGCJ02(g orb.Geometry) orb.Geometry {
	return apply(g, func(x, y float64) (float64, float64) {
		w := WGS84ToGCJ02(orb.Point{x, y})
		return w[0], w[1]
	})
}
