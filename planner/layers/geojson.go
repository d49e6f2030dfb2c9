package layers

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"
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

// encodeFeature encodes one feature as a GeoJSON Feature object. Numbers,
// booleans and geometries are appended directly (the layers' files are
// large: encoding/json's reflection cost most of the time); strings and
// arrays go through encoding/json for its escaping.
func encodeFeature(l Layer, f Feature) ([]byte, error) {
	if len(f.Values) != len(l.Props) {
		panic(fmt.Sprintf("layers: feature %s of %s has %d values for %d properties", f.ID, l.Name, len(f.Values), len(l.Props)))
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"type":"Feature","id":`...)
	b, _ = appendJSON(b, f.ID)
	b = append(b, `,"geometry":`...)
	var err error
	if b, err = appendGeometry(b, f.Geometry); err != nil {
		return nil, err
	}
	b = append(b, `,"properties":{`...)
	for i, p := range l.Props {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = appendJSON(b, p.Name)
		b = append(b, ':')
		if b, err = appendValue(b, f.Values[i]); err != nil {
			return nil, fmt.Errorf("property %s: %w", p.Name, err)
		}
	}
	return append(b, "}}"...), nil
}

// appendValue appends one property value.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendNumber(b, v)
	}
	return appendJSON(b, v)
}

// appendNumber appends a finite number in its shortest form, as
// encoding/json does: plain decimals, exponents only below 1e-6 and from 1e21.
func appendNumber(b []byte, v float64) ([]byte, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("number %v is not valid JSON", v)
	}
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, v, format, -1, 64), nil
}

// appendGeometry appends g as a GeoJSON geometry (null when nil).
func appendGeometry(b []byte, g orb.Geometry) ([]byte, error) {
	var err error
	point := func(b []byte, p orb.Point) []byte {
		b = append(b, '[')
		if b, err = appendNumber(b, p[0]); err != nil {
			return b
		}
		b = append(b, ',')
		b, err = appendNumber(b, p[1])
		return append(b, ']')
	}
	points := func(b []byte, ps []orb.Point) []byte {
		b = append(b, '[')
		for i, p := range ps {
			if i > 0 {
				b = append(b, ',')
			}
			b = point(b, p)
		}
		return append(b, ']')
	}
	switch g := g.(type) {
	case nil:
		return append(b, "null"...), nil
	case orb.Point:
		b = point(append(b, `{"type":"Point","coordinates":`...), g)
	case orb.LineString:
		b = points(append(b, `{"type":"LineString","coordinates":`...), g)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for j, r := range p {
				if j > 0 {
					b = append(b, ',')
				}
				b = points(b, r)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	default:
		return appendJSON(b, geojson.NewGeometry(g))
	}
	return append(b, '}'), err
}

func appendJSON(b []byte, v any) ([]byte, error) {
	x, err := json.Marshal(v)
	return append(b, x...), err
}
