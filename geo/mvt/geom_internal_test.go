package mvt

import (
	"hash/maphash"
	"math/rand/v2"
	"reflect"
	"strconv"
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

// TestValueTableAsMap enters random values (strings, doubles, integers,
// booleans; many repeated, the table growing) and checks each index
// against a Go map's: a value met again gets its first index.
func TestValueTableAsMap(t *testing.T) {
	type key struct {
		kind byte
		bits uint64
		s    string
	}
	tab := valueTable{seed: maphash.MakeSeed()}
	for round := 0; round < 2; round++ { // the second after reset
		tab.reset()
		want := map[key]uint32{}
		rng := rand.New(rand.NewPCG(5, uint64(round)))
		next := uint32(0)
		for i := 0; i < 20000; i++ {
			k := key{kind: "sdib"[rng.IntN(4)]}
			switch k.kind {
			case 's':
				k.s = strconv.Itoa(rng.IntN(3000))
			case 'b':
				k.bits = uint64(rng.IntN(2))
			default:
				k.bits = uint64(rng.IntN(3000)) // the same bits as a double and as an integer: two values
			}
			got, added := tab.find(k.kind, k.bits, []byte(k.s), next)
			w, seen := want[k]
			if !seen {
				w = next
				want[k] = w
				next++
			}
			if got != w || added == seen {
				t.Fatalf("round %d, value %d %+v: index %d (added %v), want %d (seen before %v)", round, i, k, got, added, w, seen)
			}
		}
		if tab.n != len(want) {
			t.Errorf("round %d: %d entries, want %d", round, tab.n, len(want))
		}
	}
	// A small tile after a large one: the large table is cleared once,
	// then dropped, and the table works from empty again.
	big := len(tab.slots)
	for round := 0; round < 2; round++ {
		tab.reset()
		for i := uint64(0); i < 3; i++ {
			if vi, added := tab.find('i', i, nil, uint32(i)); vi != uint32(i) || !added {
				t.Fatalf("small round %d: value %d got index %d (added %v)", round, i, vi, added)
			}
			if vi, added := tab.find('i', i, nil, 99); vi != uint32(i) || added {
				t.Fatalf("small round %d: value %d again got index %d (added %v)", round, i, vi, added)
			}
		}
	}
	if len(tab.slots) >= big {
		t.Errorf("after small tiles the table has %d slots, as many as after the large one (%d)", len(tab.slots), big)
	}
}
