package dataset

import (
	"encoding/json"

	"github.com/paulmach/orb"
)

// SourceFeature is one feature of a source layer already decoded by its
// reader (package ogr's binary stream) rather than written as GeoJSON
// text: its columns as JSON values and its geometry in the source's CRS.
// It goes through the same converter and validator as a GeoJSON feature.
type SourceFeature struct {
	// Columns names the source's columns in Values' order; the features
	// of one read may share the slice (it is not changed).
	Columns []string
	// Values are the columns' values as JSON: strings quoted, numbers
	// bare, booleans; nil for a null column (absent, as GeoJSON's null).
	Values []json.RawMessage
	// Geometry is nil when the feature has none.
	Geometry orb.Geometry
}

// value returns the value of column col, or nil when the feature has
// none.
func (sf *SourceFeature) value(col string) json.RawMessage {
	for i, c := range sf.Columns {
		if c == col {
			return sf.Values[i]
		}
	}
	return nil
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

// decodedRings returns a decoded Polygon or MultiPolygon's rings of
// positions, as the JSON parser's are arranged (the positions are not
// copied).
func decodedRings(g orb.Geometry) [][][]orb.Point {
	switch t := g.(type) {
	case orb.Polygon:
		return [][][]orb.Point{ringsOf(t)}
	case orb.MultiPolygon:
		out := make([][][]orb.Point, len(t))
		for i, p := range t {
			out[i] = ringsOf(p)
		}
		return out
	}
	return nil
}

func ringsOf(p orb.Polygon) [][]orb.Point {
	out := make([][]orb.Point, len(p))
	for i, r := range p {
		out[i] = r
	}
	return out
}
