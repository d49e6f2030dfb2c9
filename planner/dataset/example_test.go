package dataset_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner/dataset"
)

// ExampleLoadDir reads and validates the fixture dataset.
func ExampleLoadDir() {
	ds, err := dataset.LoadDir("testdata/small", dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := ds.Parcels[0]
	fmt.Printf("%d towns, %d parcels; %s: %s in %s, %.1f mu\n", len(ds.Towns), len(ds.Parcels), p.ID, p.Kind, p.Town, p.AreaMu)
	// Output: 2 towns, 5 parcels; P-01: existing in zhouxiang, 256.4 mu
}

// ExampleParseCRS shows the CRS names the reader accepts.
func ExampleParseCRS() {
	for _, name := range []string{"EPSG:4549", "urn:ogc:def:crs:EPSG::4528", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:3857"} {
		code, err := dataset.ParseCRS(name)
		fmt.Println(code, err != nil)
	}
	// Output:
	// 4549 false
	// 4528 false
	// 4326 false
	// 0 true
}
