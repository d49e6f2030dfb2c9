package dataset

import (
	"errors"
	"fmt"

	"github.com/parkplan/parkplan/geo"
)

// ErrOtherDatum is returned (wrapped) for data on an older Chinese datum,
// Xi'an 1980 or Beijing 1954: parkplan takes CGCS2000 only and does not
// guess the datum shift, which needs the county's published parameters.
var ErrOtherDatum = errors.New("not CGCS2000")

// datumRun is one run of EPSG codes of an older datum's Gauss–Krüger
// zones, laid out like CGCS2000's (geo/gkzones.go).
type datumRun struct {
	first, last int
	width       int  // 3 or 6 degrees
	prefixed    bool // zone number prefixed to the easting
	firstZone   int  // zone number of the first code (13 for 6°, 25 for 3°)
}

// olderDatums lists the EPSG codes of Xi'an 1980 and Beijing 1954.
var olderDatums = []struct {
	name       string
	geographic int
	runs       []datumRun
}{
	{"Xi'an 1980", 4610, []datumRun{
		{2327, 2337, 6, true, 13}, {2338, 2348, 6, false, 13},
		{2349, 2369, 3, true, 25}, {2370, 2390, 3, false, 25},
	}},
	{"Beijing 1954", 4214, []datumRun{
		{2401, 2421, 3, true, 25}, {2422, 2442, 3, false, 25},
		{21413, 21423, 6, true, 13}, {21453, 21463, 6, false, 13},
	}},
}

// otherDatum returns an ErrOtherDatum error naming the datum of code and
// the CGCS2000 CRS to convert to, or nil if code is not on an older datum.
func otherDatum(code int) error {
	for _, d := range olderDatums {
		if code == d.geographic {
			return datumError(d.name, fmt.Sprintf("EPSG:%d (%s lon/lat)", code, d.name), geoCGCS2000)
		}
		for _, r := range d.runs {
			if code < r.first || code > r.last {
				continue
			}
			n := r.firstZone + code - r.first
			cm := 3 * n
			if r.width == 6 {
				cm = 6*n - 3
			}
			target := cgcsEquivalent(r.width, cm, r.prefixed, n)
			return datumError(d.name, fmt.Sprintf("EPSG:%d (%s, %d° Gauss–Krüger, central meridian %d°E)", code, d.name, r.width, cm), target)
		}
	}
	return nil
}

// geoCGCS2000 is the target named for geographic data.
const geoCGCS2000 = 4490

// cgcsEquivalent returns the CGCS2000 zone with the same layout.
func cgcsEquivalent(width, cm int, prefixed bool, n int) int {
	fe := 500000.0
	if prefixed {
		fe += float64(n) * 1e6
	}
	z, _ := zoneOf(width, float64(cm), fe)
	return z
}

func datumError(datum, what string, target int) error {
	return fmt.Errorf("%w: the data is in %s. parkplan takes CGCS2000 only and does not guess datum shifts: "+
		"convert it to CGCS2000 (EPSG:%d, %s) first with the %s → CGCS2000 transformation parameters "+
		"(seven-parameter or grid) your natural-resources bureau publishes for the county, "+
		"e.g. ogr2ogr -t_srs EPSG:%d -ct \"<their PROJ pipeline>\", then import the result",
		ErrOtherDatum, what, target, crsName(target), datum, target)
}

// zoneOf returns the EPSG code of the CGCS2000 zone with the given width,
// central meridian and false easting (0 if none).
func zoneOf(width int, cm, fe float64) (int, bool) {
	z, ok := geo.CGCS2000ZoneOf(width, cm, fe)
	return z.EPSG, ok
}
