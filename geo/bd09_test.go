package geo

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

const (
	seedBD09 = 9
	// bd09RoundTripTolM: BD09ToGCJ02 inverts GCJ02ToBD09 within 1 mm.
	bd09RoundTripTolM = 1e-3
	// bd09ShiftMinM, bd09ShiftMaxM: BD-09 lies some hundreds of metres
	// from GCJ-02 over China.
	bd09ShiftMinM, bd09ShiftMaxM = 200.0, 1500.0
)

func TestBD09RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(seedBD09, 0))
	for range 1000 {
		p := orb.Point{75 + 60*r.Float64(), 18 + 35*r.Float64()}
		bd := GCJ02ToBD09(p)
		if d := DistanceM(p, bd); d < bd09ShiftMinM || d > bd09ShiftMaxM {
			t.Fatalf("GCJ02ToBD09(%v) moved %.0f m; want %g–%g m", p, d, bd09ShiftMinM, bd09ShiftMaxM)
		}
		if d := DistanceM(p, BD09ToGCJ02(bd)); d > bd09RoundTripTolM {
			t.Fatalf("BD09ToGCJ02(GCJ02ToBD09(%v)) off by %.3f m", p, d)
		}
	}
}
