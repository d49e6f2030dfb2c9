package geo

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

const (
	seedGKRoundTrip = 4549
	// gkRoundTripTolM: Forward∘Inverse should return to the start within
	// a micrometre anywhere in a 3° zone.
	gkRoundTripTolM = 1e-6
)

func TestGaussKrugerRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(seedGKRoundTrip, 0))
	for _, epsg := range []int{EPSG4549, EPSG4528} {
		z, _ := Zone(epsg)
		for range 2000 {
			lon, lat := 118.5+3*r.Float64(), 18+35*r.Float64()
			x, y := z.Forward(lon, lat)
			lon2, lat2 := z.Inverse(x, y)
			if d := DistanceM(orb.Point{lon, lat}, orb.Point{lon2, lat2}); d > gkRoundTripTolM {
				t.Fatalf("EPSG:%d round trip of (%.6f, %.6f) off by %g m", epsg, lon, lat, d)
			}
		}
	}
}

func TestZone(t *testing.T) {
	tests := []struct {
		name string
		epsg int
		fe   float64
		err  error
	}{
		{"4549", EPSG4549, 500000, nil},
		{"4528", EPSG4528, 40500000, nil},
		{"3857-unsupported", 3857, 0, ErrUnsupportedCRS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := Zone(tt.epsg)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Zone(%d) error = %v, want %v", tt.epsg, err, tt.err)
			}
			if err == nil && (z.FalseEasting != tt.fe || z.CentralMeridian != 120) {
				t.Errorf("Zone(%d) = %+v", tt.epsg, z)
			}
		})
	}
}

func TestToLonLatFromLonLat(t *testing.T) {
	tests := []struct {
		name string
		g    func() orb.Geometry
	}{
		{"point", func() orb.Geometry { return orb.Point{121.25, 30.2} }},
		{"multipoint", func() orb.Geometry { return orb.MultiPoint{{121.25, 30.2}, {121.3, 30.1}} }},
		{"linestring", func() orb.Geometry { return orb.LineString{{121.25, 30.2}, {121.3, 30.1}} }},
		{"polygon", func() orb.Geometry {
			return orb.Polygon{{{121.2, 30.2}, {121.21, 30.2}, {121.21, 30.21}, {121.2, 30.2}}}
		}},
		{"multipolygon", func() orb.Geometry {
			return orb.MultiPolygon{{{{121.2, 30.2}, {121.21, 30.2}, {121.21, 30.21}, {121.2, 30.2}}}}
		}},
		{"collection", func() orb.Geometry {
			return orb.Collection{orb.Point{121.25, 30.2}, orb.LineString{{121.25, 30.2}, {121.3, 30.1}}}
		}},
	}
	for _, tt := range tests {
		for _, epsg := range []int{EPSG4549, EPSG4528, EPSG4490} {
			t.Run(tt.name, func(t *testing.T) {
				g := tt.g()
				p, err := FromLonLat(g, epsg)
				if err != nil {
					t.Fatal(err)
				}
				c := p.Bound().Center()
				if epsg != EPSG4490 && (c[0] < 1e5 || c[1] < 3e6) {
					t.Errorf("EPSG:%d: projected centroid %v does not look like metres", epsg, c)
				}
				back, err := ToLonLat(p, epsg)
				if err != nil {
					t.Fatal(err)
				}
				if d := DistanceM(Centroid(back), Centroid(tt.g())); d > 1e-6 {
					t.Errorf("EPSG:%d: round trip moved the centroid %g m", epsg, d)
				}
			})
		}
	}
	if _, err := ToLonLat(orb.Point{1, 2}, 32651); !errors.Is(err, ErrUnsupportedCRS) {
		t.Errorf("ToLonLat EPSG:32651 error = %v, want ErrUnsupportedCRS", err)
	}
}

func TestDistanceM(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want float64 // metres
		tol  float64
	}{
		{"same point", orb.Point{121.2, 30.2}, orb.Point{121.2, 30.2}, 0, 0},
		// one degree of latitude at 30°N on GRS80: 110,852 m (meridian arc tables)
		{"1° meridian at 30°N", orb.Point{121, 29.5}, orb.Point{121, 30.5}, 110852.4, 1},
		// one arc-minute along the equator: a·π/10800 = 1855.325 m
		{"1' on the equator", orb.Point{0, 0}, orb.Point{1.0 / 60, 0}, 1855.3248, 1e-3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DistanceM(tt.a, tt.b); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceM = %.4f m, want %.4f ± %g", got, tt.want, tt.tol)
			}
		})
	}
	// haversine agrees to 0.5 % (sphere vs ellipsoid)
	a, b := orb.Point{121.1, 30.1}, orb.Point{121.5, 30.3}
	if rel := math.Abs(HaversineM(a, b)-DistanceM(a, b)) / DistanceM(a, b); rel > 5e-3 {
		t.Errorf("haversine differs from Vincenty by %.2e", rel)
	}
}

func TestCentroid(t *testing.T) {
	sq := orb.Polygon{{{121, 30}, {121.01, 30}, {121.01, 30.01}, {121, 30.01}, {121, 30}}}
	c := Centroid(sq)
	if math.Abs(c[0]-121.005) > 1e-6 || math.Abs(c[1]-30.005) > 1e-5 {
		t.Errorf("Centroid(square) = %v", c)
	}
	// a hole in the west half pulls the centroid east
	holed := orb.Polygon{sq[0], {{121.001, 30.001}, {121.001, 30.009}, {121.004, 30.009}, {121.004, 30.001}, {121.001, 30.001}}}
	if c2 := Centroid(holed); c2[0] <= c[0] {
		t.Errorf("Centroid(holed) = %v, want east of %v", c2, c)
	}
	if c := Centroid(orb.LineString{{121, 30}, {121.02, 30}}); math.Abs(c[0]-121.01) > 1e-9 {
		t.Errorf("Centroid(line) = %v", c)
	}
	if c := Centroid(orb.MultiPoint{{121, 30}, {121.02, 30.02}}); math.Abs(c[0]-121.01)+math.Abs(c[1]-30.01) > 1e-12 {
		t.Errorf("Centroid(multipoint) = %v", c)
	}
}

func TestAreaMu(t *testing.T) {
	// a 1 km × 1 km square built in the projected plane at the meridian
	// (scale 1) is 1,500 mu.
	z, _ := Zone(EPSG4549)
	var ring orb.Ring
	for _, c := range [][2]float64{{500000, 3340000}, {501000, 3340000}, {501000, 3341000}, {500000, 3341000}, {500000, 3340000}} {
		lon, lat := z.Inverse(c[0], c[1])
		ring = append(ring, orb.Point{lon, lat})
	}
	tests := []struct {
		name string
		g    orb.Geometry
		want float64
	}{
		{"square km at CM", orb.Polygon{ring}, 1500},
		{"clockwise ring", orb.Ring{ring[0], ring[3], ring[2], ring[1], ring[0]}, 1500},
		{"multipolygon of two", orb.MultiPolygon{{ring}, {ring}}, 3000},
		{"point", orb.Point{121, 30}, 0},
		{"line", orb.LineString{{121, 30}, {121.1, 30}}, 0},
		{"empty polygon", orb.Polygon{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AreaMu(tt.g); math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("AreaMu = %.6f, want %.6f", got, tt.want)
			}
		})
	}
}

// conformalTolRad: conformalToGeodetic recovers a latitude from its
// conformal latitude within a few units in the last place (1e-15 rad is
// 6 nm on the ground).
const conformalTolRad = 1e-15

func TestConformalToGeodetic(t *testing.T) {
	e := kruger.e
	worst := 0.0
	for lat := -80.0; lat <= 80; lat += 0.01 { // China lies within 3–54°N
		phi := lat * deg
		chi := math.Atan(math.Sinh(math.Atanh(math.Sin(phi)) - e*math.Atanh(e*math.Sin(phi))))
		got := conformalToGeodetic(chi)
		if d := math.Abs(got - phi); d > worst {
			worst = d
		}
		if d := math.Abs(got - phi); d > conformalTolRad {
			t.Fatalf("latitude %.2f°: conformal %.17g gives %.17g rad, want %.17g (off by %g rad)", lat, chi, got, phi, d)
		}
	}
	t.Logf("largest error %g rad", worst)
}
