package geo_test

import (
	"errors"
	"fmt"

	"github.com/parkplan/parkplan/geo"
	"github.com/paulmach/orb"
)

func ExampleAreaMu() {
	// a 1 km × 1 km square on the central meridian of EPSG:4549
	z, _ := geo.Zone(geo.EPSG4549)
	var ring orb.Ring
	for _, c := range [][2]float64{{500000, 3340000}, {501000, 3340000}, {501000, 3341000}, {500000, 3341000}, {500000, 3340000}} {
		lon, lat := z.Inverse(c[0], c[1])
		ring = append(ring, orb.Point{lon, lat})
	}
	fmt.Printf("%.1f mu\n", geo.AreaMu(orb.Polygon{ring}))
	// Output: 1500.0 mu
}

func ExampleGaussKruger_Forward() {
	z, _ := geo.Zone(geo.EPSG4549)
	x, y := z.Forward(121.25, 30.2)
	fmt.Printf("E %.3f N %.3f\n", x, y)
	// Output: E 620370.026 N 3342944.772
}

func ExampleGCJ02ToWGS84() {
	gcj := orb.Point{116.41024449916938, 39.91640428150164}
	w := geo.GCJ02ToWGS84(gcj)
	fmt.Printf("%.7f %.7f\n", w[0], w[1])
	// Output: 116.4040000 39.9150000
}

func ExampleValidatePolygon() {
	bowtie := orb.Polygon{{{121, 30}, {121.1, 30}, {121, 30.1}, {121.1, 30.1}, {121, 30}}}
	err := geo.ValidatePolygon(bowtie)
	fmt.Println(err)
	fmt.Println(errors.Is(err, geo.ErrSelfIntersection))
	// Output:
	// polygon 0 ring 0 vertex 1 (121.05 30.05): rings intersect (with polygon 0 ring 0 vertex 3)
	// true
}

// PostGIS ST_Area(geography) gives 1601.103 and 800.552 mu for these.
func ExampleIntersectionAreaMu() {
	parcel := orb.Ring{{121.20, 30.20}, {121.21, 30.20}, {121.21, 30.21}, {121.20, 30.21}, {121.20, 30.20}}
	farmland := orb.Ring{{121.205, 30.19}, {121.22, 30.19}, {121.22, 30.22}, {121.205, 30.22}, {121.205, 30.19}}
	fmt.Printf("parcel %.1f mu, on farmland %.1f mu\n", geo.AreaMu(orb.Polygon{parcel}), geo.IntersectionAreaMu(parcel, farmland))
	// Output: parcel 1601.1 mu, on farmland 800.6 mu
}

// PostGIS ST_Distance(geography) gives 20351.679 m for this pair.
func ExampleDistanceM() {
	fmt.Printf("%.1f m\n", geo.DistanceM(orb.Point{121.245, 30.165}, orb.Point{121.455, 30.145}))
	// Output: 20351.7 m
}
