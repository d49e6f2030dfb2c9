package mvt_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo/mvt"
)

// A tile of one parcel: its properties, then its lon/lat geometry.
func ExampleLayer() {
	tile := mvt.Tile{Z: 14, X: 13707, Y: 6749, Extent: 4096, Buffer: 64}
	layer := mvt.NewLayer("parcels", tile)
	id, area := layer.Key("id"), layer.Key("area_mu")
	layer.String(id, []byte("P000001"))
	layer.Double(area, 36.5)
	parcel := orb.Polygon{{{121.1990, 30.1990}, {121.2000, 30.1990}, {121.2000, 30.2000}, {121.1990, 30.2000}, {121.1990, 30.1990}}}
	fmt.Println(layer.Feature(parcel), layer.Len())
	// A parcel far away is left out.
	layer.String(id, []byte("P000002"))
	fmt.Println(layer.Feature(orb.Point{120, 30}), layer.Len())
	fmt.Println(len(layer.Bytes()) > 0)
	// Output:
	// true 1
	// false 1
	// true
}
