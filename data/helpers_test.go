package data_test

import "github.com/paulmach/orb"

// rectMP returns the lon/lat rectangle [w,e]×[s,n] as a MultiPolygon.
func rectMP(w, s, e, n float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}}
}
