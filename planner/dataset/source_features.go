package dataset

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
)

// SourceFeature is one feature of a source layer already decoded by its
// reader (package ogr's binary stream) rather than written as GeoJSON
// text: its columns as JSON values and its geometry in the source's CRS.
// It goes through the same converter and validator as a GeoJSON feature.
type SourceFeature struct {
	// Properties are the source's columns by name; a null column may be
	// absent. Values are JSON: strings quoted, numbers bare, booleans.
	Properties map[string]json.RawMessage
	// Geometry is nil when the feature has none.
	Geometry orb.Geometry
}

// FeatureStream yields a source layer's features in order.
type FeatureStream interface {
	// Next returns the next feature, or io.EOF after the last.
	Next() (*SourceFeature, error)
	// Close stops the stream (and any process behind it) even when it
	// was not read to the end; it returns the stream's failure, if any.
	Close() error
}

// decodedGeometry wraps a reader's orb geometry as the validator's raw
// geometry: its GeoJSON type, no coordinate text.
func decodedGeometry(g orb.Geometry) *rawGeometry {
	if g == nil {
		return nil
	}
	return &rawGeometry{Type: g.GeoJSONType(), decoded: g}
}

// decodedCoords returns a decoded Polygon or MultiPolygon's positions as
// the JSON parser would give them.
func decodedCoords(g orb.Geometry) ([][][][]float64, error) {
	switch t := g.(type) {
	case orb.Polygon:
		return [][][][]float64{ringsOf(t)}, nil
	case orb.MultiPolygon:
		out := make([][][][]float64, len(t))
		for i, p := range t {
			out[i] = ringsOf(p)
		}
		return out, nil
	}
	return nil, fmt.Errorf("a %s", g.GeoJSONType())
}

func ringsOf(p orb.Polygon) [][][]float64 {
	out := make([][][]float64, len(p))
	for i, r := range p {
		pos := make([][]float64, len(r))
		flat := make([]float64, 2*len(r))
		for j, pt := range r {
			flat[2*j], flat[2*j+1] = pt[0], pt[1]
			pos[j] = flat[2*j : 2*j+2 : 2*j+2]
		}
		out[i] = pos
	}
	return out
}
