package layers

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb/geojson"
)

// WriteGeoJSON writes c as one RFC 7946 FeatureCollection (lon/lat,
// EPSG:4490), one feature a line, in c's order, each feature's
// properties in the layer's order. The bytes depend only on c.
func WriteGeoJSON(w io.Writer, c Collection) error {
	bw := bufio.NewWriter(w)
	name, _ := json.Marshal(c.Name)
	fmt.Fprintf(bw, `{"type":"FeatureCollection","name":%s,"features":[`, name)
	for i, f := range c.Features {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n")
		b, err := encodeFeature(c.Layer, f)
		if err != nil {
			return fmt.Errorf("layer %s, feature %s: %w", c.Name, f.ID, err)
		}
		bw.Write(b)
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// encodeFeature encodes one feature as a GeoJSON Feature object.
func encodeFeature(l Layer, f Feature) ([]byte, error) {
	if len(f.Values) != len(l.Props) {
		panic(fmt.Sprintf("layers: feature %s of %s has %d values for %d properties", f.ID, l.Name, len(f.Values), len(l.Props)))
	}
	b := []byte(`{"type":"Feature","id":`)
	b, _ = appendJSON(b, f.ID)
	b = append(b, `,"geometry":`...)
	var err error
	if f.Geometry == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSON(b, geojson.NewGeometry(f.Geometry)); err != nil {
		return nil, err
	}
	b = append(b, `,"properties":{`...)
	for i, p := range l.Props {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = appendJSON(b, p.Name)
		b = append(b, ':')
		if b, err = appendJSON(b, f.Values[i]); err != nil {
			return nil, fmt.Errorf("property %s: %w", p.Name, err)
		}
	}
	return append(b, "}}"...), nil
}

func appendJSON(b []byte, v any) ([]byte, error) {
	x, err := json.Marshal(v)
	return append(b, x...), err
}
