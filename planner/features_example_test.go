package planner_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// ExampleCRS shows how a served CRS maps to a PostGIS SRID and whether its
// coordinates are written latitude (or northing) first.
func ExampleCRS() {
	for _, c := range []planner.CRS{planner.CRS84, planner.EPSG4326, planner.EPSG4490, planner.EPSG4549} {
		fmt.Println(c.SRID(), c.LatFirst(), c.Valid())
	}
	fmt.Println(planner.CRS(3857).Valid())
	// Output:
	// 4326 false true
	// 4326 true true
	// 4490 true true
	// 4549 true true
	// false
}
