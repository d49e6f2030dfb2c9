package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// Published WGS84 → GCJ-02 pairs. Two variants of the offset circulate:
// the original constants use the Krasovsky axis 6,378,245 m (as geo
// does, and e.g. wandergis/coordtransform's test vector); others use the
// WGS84 axis 6,378,137 m (e.g. googollee/eviltransform), which moves the
// result by ~1e-7° (~1 cm). Pairs of the second kind are held to
// gcjVariantTolDeg.
const (
	gcjExactTolDeg   = 1e-12 // same formula: only float rounding differs
	gcjVariantTolDeg = 2e-7  // the 6,378,137 m variant: ≈ 2 cm
	gcjInverseTolDeg = 1e-7  // the brief's requirement for GCJ02ToWGS84
	seedGCJRoundTrip = 20190101
)

func TestWGS84ToGCJ02KnownPairs(t *testing.T) {
	tests := []struct {
		name     string
		wgs, gcj orb.Point
		tol      float64
	}{
		{"beijing-coordtransform", orb.Point{116.404, 39.915}, orb.Point{116.41024449916938, 39.91640428150164}, gcjExactTolDeg},
		{"shanghai-eviltransform", orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}, gcjVariantTolDeg},
		{"shenzhen-eviltransform", orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}, gcjVariantTolDeg},
		{"beijing-eviltransform", orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}, gcjVariantTolDeg},
		{"hangzhou-bay-geotool", orb.Point{121.0917077, 30.6107779}, orb.Point{121.09626935575027, 30.608604331756705}, gcjVariantTolDeg},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WGS84ToGCJ02(tt.wgs)
			if math.Abs(got[0]-tt.gcj[0]) > tt.tol || math.Abs(got[1]-tt.gcj[1]) > tt.tol {
				t.Errorf("WGS84ToGCJ02(%v) = %.14f, %.14f; want %.14f, %.14f (±%g°)", tt.wgs, got[0], got[1], tt.gcj[0], tt.gcj[1], tt.tol)
			}
			back := GCJ02ToWGS84(tt.gcj)
			if math.Abs(back[0]-tt.wgs[0]) > tt.tol+gcjInverseTolDeg || math.Abs(back[1]-tt.wgs[1]) > tt.tol+gcjInverseTolDeg {
				t.Errorf("GCJ02ToWGS84(%v) = %.10f, %.10f; want %v", tt.gcj, back[0], back[1], tt.wgs)
			}
		})
	}
}

func TestGCJ02ShiftNearCixi(t *testing.T) {
	// the reference data's README: ≈ +0.0043° lon, −0.0024° lat near Cixi
	g := WGS84ToGCJ02(orb.Point{121.25, 30.2})
	dlon, dlat := g[0]-121.25, g[1]-30.2
	if math.Abs(dlon-0.0043) > 0.0002 || math.Abs(dlat+0.0024) > 0.0002 {
		t.Errorf("shift at Cixi = %+.5f°, %+.5f°; want ≈ +0.0043°, −0.0024°", dlon, dlat)
	}
}

func TestGCJ02OutsideChinaUnchanged(t *testing.T) {
	for _, p := range []orb.Point{{2.35, 48.85}, {139.7, 35.7}, {-74, 40.7}} {
		if WGS84ToGCJ02(p) != p || GCJ02ToWGS84(p) != p {
			t.Errorf("%v moved; GCJ-02 applies only inside China", p)
		}
	}
}

func TestGCJ02RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(seedGCJRoundTrip, 0))
	var worst float64
	for range 5000 {
		w := orb.Point{73 + 62*r.Float64(), 1 + 54*r.Float64()}
		back := GCJ02ToWGS84(WGS84ToGCJ02(w))
		d := math.Max(math.Abs(back[0]-w[0]), math.Abs(back[1]-w[1]))
		worst = math.Max(worst, d)
		if d > gcjInverseTolDeg {
			t.Fatalf("round trip of %v off by %g°", w, d)
		}
	}
	t.Logf("GCJ-02 round trip over 5000 points: worst %.1e°", worst)
}

func TestGeometryGCJ02ToWGS84InPlace(t *testing.T) {
	ring := orb.Ring{{121.3, 30.2}, {121.31, 30.2}, {121.31, 30.21}, {121.3, 30.2}}
	p := orb.Polygon{ring}
	GeometryGCJ02ToWGS84(p)
	if want := GCJ02ToWGS84(orb.Point{121.3, 30.2}); ring[0] != want {
		t.Errorf("ring[0] = %v after conversion, want %v (in place)", ring[0], want)
	}
	GeometryWGS84ToGCJ02(p)
	if d := math.Abs(ring[1][0] - 121.31); d > gcjInverseTolDeg {
		t.Errorf("round trip moved a vertex by %g°", d)
	}
}
