package data_test

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// rectMP returns the lon/lat rectangle [w,e]×[s,n] as a MultiPolygon.
func rectMP(w, s, e, n float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}}
}

// num formats a coordinate as the dataset writer would (shortest form).
func num(v float64) string { return strconv.FormatFloat(math.Round(v*1e8)/1e8, 'f', -1, 64) }
