package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

const seedBench = 42

// benchRing is a smooth, wavy ring of n vertices near Cixi, like a town
// outline. (A jagged ring whose edges all span much of its width is the
// sweep's worst case: there every pair of edges is tested.)
func benchRing(n int) orb.Ring {
	r := rand.New(rand.NewPCG(seedBench, uint64(n)))
	ring := make(orb.Ring, 0, n+1)
	for k := range n {
		th := 2 * math.Pi * float64(k) / float64(n)
		rad := 0.01 * (1 + 0.3*math.Sin(5*th) + 0.001*r.Float64())
		ring = append(ring, orb.Point{121.25 + rad*math.Cos(th), 30.2 + rad*math.Sin(th)})
	}
	return append(ring, ring[0])
}

func BenchmarkAreaMu(b *testing.B) {
	for _, n := range []int{5, 100, 10000} {
		p := orb.Polygon{benchRing(n)}
		b.Run(fmt.Sprintf("vertices=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				AreaMu(p)
			}
		})
	}
}

func BenchmarkValidatePolygon(b *testing.B) {
	for _, n := range []int{5, 100, 10000} {
		p := orb.Polygon{benchRing(n)}
		if err := ValidatePolygon(p); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("vertices=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ValidatePolygon(p)
			}
		})
	}
}

func BenchmarkGCJ02ToWGS84(b *testing.B) {
	b.ReportAllocs()
	p := orb.Point{121.25, 30.2}
	for b.Loop() {
		GCJ02ToWGS84(p)
	}
}

func BenchmarkInverse(b *testing.B) {
	b.ReportAllocs()
	z, _ := Zone(EPSG4549)
	x, y := z.Forward(121.25, 30.2)
	for b.Loop() {
		z.Inverse(x, y)
	}
}

func BenchmarkForward(b *testing.B) {
	b.ReportAllocs()
	z, _ := Zone(EPSG4549)
	for b.Loop() {
		z.Forward(121.25, 30.2)
	}
}

func BenchmarkIntersectionAreaMu(b *testing.B) {
	b.ReportAllocs()
	a := sq(0.1, 0.1, 0.02)
	c := sq(0.11, 0.09, 0.05)
	for b.Loop() {
		IntersectionAreaMu(a, c)
	}
}
