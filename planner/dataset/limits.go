package dataset

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
)

// Limits of what a dataset read accepts. Every value PostgreSQL would
// refuse is refused here first, with its file, record, id and field, so
// `parkplan import --check` is right; values no county can have are
// refused as implausible (docs/data-format.md, "Limits").
const (
	// MaxIDLen is the longest id or code, in bytes. Survey parcel numbers
	// and unified social credit codes (18 characters) are far shorter; a
	// longer id is a whole field pasted by mistake. Longer ids are refused
	// and shown cut to idShownLen characters.
	MaxIDLen = 200
	// idShownLen is how much of a long id or value a message shows.
	idShownLen = 40
	// maxInteger is PostgreSQL's integer: firms, years.
	maxInteger = math.MaxInt32
	// maxFigure bounds every other figure (mu, m², 10,000 yuan, FAR). No
	// county figure comes near it; larger values are unit or typing errors,
	// and sums of a million of them would lose all precision or overflow.
	maxFigure = 1e12
	// provinceAreaMu is Zhejiang's area (105,500 km²) in mu: no parcel and no
	// town's yearly new-land quota can be larger.
	provinceAreaMu = 105_500e6 / 666.6666666666666
	// TownToleranceM is how far, in metres, a parcel or a firm may lie
	// outside its town's bounding box before the read refuses it: boxes of
	// survey boundaries and points geocoded to a neighbouring street stay
	// well within it; a point in another province (wrong CRS, swapped
	// coordinates, a typo in the degrees) does not.
	TownToleranceM = 5_000
	// DefaultMaxVertices is how many positions one geometry may have when
	// Options.MaxVertices is 0. Cadastral parcels have tens to a few
	// thousand; county-wide protected polygons some tens of thousands. A
	// geometry of a million positions costs hundreds of MB to import and
	// to serve.
	DefaultMaxVertices = 200_000
)

// clip shortens s for a message: at most idShownLen characters, then how
// many bytes were left out.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= idShownLen {
		return s
	}
	n, i := 0, 0
	for i = range s {
		if n == idShownLen {
			break
		}
		n++
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:i], len(s))
}

// textFault says what PostgreSQL text cannot hold in s, or "".
func textFault(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Sprintf("holds a NUL character at byte %d; database text cannot store it", i)
	}
	return ""
}

// idFault says what is wrong with an id or code, or "".
func idFault(s string) string {
	if len(s) > MaxIDLen {
		return fmt.Sprintf("is %d bytes long; an id may have at most %d bytes", len(s), MaxIDLen)
	}
	return textFault(s)
}

// decimalNumber is a plain decimal number as CSV files write it: no hex
// (0x1p8), no Inf or NaN, no digit separators.
var decimalNumber = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// boxGapM returns the geodesic distance in metres between two lon/lat
// boxes: 0 when they meet.
func boxGapM(a, b orb.Bound) float64 {
	var pa, pb orb.Point
	for k := 0; k < 2; k++ {
		switch {
		case a.Max[k] < b.Min[k]:
			pa[k], pb[k] = a.Max[k], b.Min[k]
		case b.Max[k] < a.Min[k]:
			pa[k], pb[k] = a.Min[k], b.Max[k]
		default:
			v := math.Max(a.Min[k], b.Min[k])
			pa[k], pb[k] = v, v
		}
	}
	return geo.DistanceM(pa, pb)
}

// countVertices returns the number of positions of mp.
func countVertices(mp orb.MultiPolygon) int {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}
