package mvt

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// TestClipRingAsOrb clips random rings on the grid (closed and open, in
// and around the tile, some wholly outside) with the layer's clipRing
// and with orb's clip.Ring: the points must be the same.
func TestClipRingAsOrb(t *testing.T) {
	l := NewLayer("l", Tile{Z: 14, X: 13707, Y: 6749, Extent: 4096, Buffer: 64})
	rng := rand.New(rand.NewPCG(3, 4))
	cases := map[string]int{}
	for i := 0; i < 5000; i++ {
		r := orb.Ring{}
		for j := 3 + rng.IntN(12); j > 0; j-- {
			r = append(r, orb.Point{rng.Float64()*9000 - 2500, rng.Float64()*9000 - 2500})
		}
		if i%3 != 0 {
			r = append(r, r[0]) // closed, as polygon rings are
		}
		if i%7 == 0 { // on the clip box's edges and corners
			r[0] = orb.Point{-64, 4160}
			r[len(r)/2] = orb.Point{4160, r[len(r)/2][1]}
		}
		want := clip.Ring(l.clipTo, orb.Clone(r).(orb.Ring))
		got := l.clipRing(r)
		if len(got) == 0 && len(want) == 0 {
			cases["outside"]++
			continue
		}
		if !reflect.DeepEqual(orb.Ring(got), want) {
			t.Fatalf("ring %d %v:\nclipRing  %v\nclip.Ring %v", i, r, got, want)
		}
		if reflect.DeepEqual(orb.Ring(got), r) {
			cases["inside"]++
		} else {
			cases["clipped"]++
		}
	}
	if cases["outside"] == 0 || cases["clipped"] == 0 {
		t.Errorf("cases %v: want rings clipped away and clipped", cases)
	}
}
