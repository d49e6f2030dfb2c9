package dataset

import (
	"math"
	"strconv"
)

// Rounding of written numbers. Coordinates keep 8 decimals of a degree
// (about 1.1 mm of latitude), well below survey precision; other numbers
// (mu, m², 10,000 yuan, FAR) keep 6 decimals. Both are chosen so that a
// written value read back and written again gives the same text.
const (
	coordScale = 1e8
	valueScale = 1e6
)

// formatCoord formats a longitude or latitude, degrees, rounded to 1e-8.
func formatCoord(v float64) string { return formatScaled(v, coordScale) }

// formatValue formats an attribute number rounded to 1e-6.
func formatValue(v float64) string { return formatScaled(v, valueScale) }

func formatScaled(v, scale float64) string {
	r := math.Round(v*scale) / scale
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
