package dataset

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/parkplan/parkplan/geo"
	"github.com/paulmach/orb"
)

// converter turns one source layer's features into the format's: it
// renames columns to fields and converts what a source's types force on
// a value (a DBF has no booleans or arrays, a register holds numbers as
// text, Chinese values for kinds), and nothing else — every check is the
// validator's, which reads the result.
type converter struct {
	layer   string
	src     LayerSource
	fields  []fieldPlan
	names   []string // the fields' names, in fields' order
	at      atomic.Pointer[columnIndex]
	columns map[string]string // field → source column ("" none)
	towns   *townIndex
	lonLat  [2]string // register columns of a position, when the source has no geometry
	fault   func(i int, f fault)
}

// fieldPlan is a field of the layer with what the mapping says of it,
// looked up once per source rather than once per feature.
type fieldPlan struct {
	fieldSpec
	column string            // the source column ("" none)
	values map[string]string // the mapping's values for the field
	def    json.RawMessage   // the mapping's default, as JSON (nil none)
	scale  float64
	scaled bool
}

func newConverter(layer string, s LayerSource, towns *townIndex) *converter {
	c := &converter{layer: layer, src: s, columns: map[string]string{}, towns: towns}
	for _, f := range fieldsOf(layer) {
		col, ok := s.Map.Columns[f.name]
		if !ok {
			col = guessColumn(f, s.Columns)
		}
		c.columns[f.name] = col
		fp := fieldPlan{fieldSpec: f, column: col, values: s.Map.Values[f.name]}
		if d, ok := s.Map.Defaults[f.name]; ok {
			fp.def, _ = json.Marshal(d)
		}
		fp.scale, fp.scaled = s.Map.Scale[f.name]
		c.fields = append(c.fields, fp)
		c.names = append(c.names, f.name)
	}
	if layer == LayerEnterprises {
		for k, names := range registerLonLat {
			c.lonLat[k] = guessColumn(fieldSpec{name: names[0], usual: names[1:]}, s.Columns)
		}
	}
	return c
}

// feature returns feature i of the source as the format's feature.
func (c *converter) feature(f *rawFeature, i int) (*rawFeature, error) {
	src := map[string]json.RawMessage{}
	if len(f.Properties) > 0 && string(f.Properties) != "null" {
		var err error
		if src, err = splitObject(f.Properties); err != nil {
			return nil, fmt.Errorf("%s: feature %d: properties: %v", c.src.Name, i, err)
		}
	}
	return c.convert(func(k int) json.RawMessage { return src[c.fields[k].column] },
		func(col string) json.RawMessage { return src[col] }, f, i)
}

// decoded returns feature i of a decoded source (SourceFeature) as the
// format's feature.
func (c *converter) decoded(sf *SourceFeature, i int) (*rawFeature, error) {
	at := c.columnsOf(sf.Columns)
	return c.convert(func(k int) json.RawMessage {
		if j := at[k]; j >= 0 {
			return sf.Values[j]
		}
		return nil
	}, sf.value, &rawFeature{Type: "Feature", Geometry: decodedGeometry(sf.Geometry)}, i)
}

// columnsOf returns, for each field, the index of its column in cols
// (-1: none). The features of a decoded source share their Columns, so
// the answer is kept for the next feature (by any worker).
func (c *converter) columnsOf(cols []string) []int {
	if at := c.at.Load(); at != nil && sameSlice(at.cols, cols) {
		return at.index
	}
	at := &columnIndex{cols: cols, index: make([]int, len(c.fields))}
	for k := range c.fields {
		at.index[k] = slices.Index(cols, c.fields[k].column)
		if c.fields[k].column == "" {
			at.index[k] = -1
		}
	}
	c.at.Store(at)
	return at.index
}

// columnIndex is where a converter's fields are in one Columns slice.
type columnIndex struct {
	cols  []string
	index []int
}

// sameSlice reports whether a and b are the same slice (not only equal).
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// convert renames and converts feature i's columns — field k's column
// value by byField(k), any column's by byName — to the format's fields
// (f gives the feature's id and geometry).
func (c *converter) convert(byField func(k int) json.RawMessage, byName func(col string) json.RawMessage, f *rawFeature, i int) (*rawFeature, error) {
	vals := make([]json.RawMessage, len(c.fields))
	var town string
	for k := range c.fields {
		fs := &c.fields[k]
		v := c.value(fs, byField(k))
		if v == nil && fs.name == "id" && fs.column == "" {
			// no id column: the source's feature id, or its position
			id := featureID(f.ID)
			if id == "" {
				id = strconv.Itoa(i + 1)
			}
			v = quoteJSON(c.src.Map.Layer + "-" + id)
		}
		if v == nil {
			continue
		}
		if fs.name == "town" {
			town = rawText(v)
		}
		vals[k] = v
	}
	g, err := c.geometry(f, i, byName, town)
	if err != nil {
		return nil, err
	}
	// the validator reads the fields as written, without a JSON object to split
	return &rawFeature{Type: "Feature", Geometry: g, fields: fieldValues{names: c.names, vals: vals}}, nil
}

// value returns the JSON value of field fs, or nil when the source has
// none (the validator then says it is missing, or uses its default).
func (c *converter) value(fs *fieldPlan, raw json.RawMessage) json.RawMessage {
	if fs.column == "" || isEmpty(raw) {
		return fs.def
	}
	if (fs.kind == kindNumber || fs.kind == kindInt) && raw[0] != '"' && !fs.scaled && len(fs.values) == 0 {
		return raw // what the steps below give a bare JSON value of a number field, without reading it
	}
	text := rawText(raw)
	if m, ok := fs.values[text]; ok {
		return quoteJSON(m)
	}
	if m, ok := fs.fieldSpec.values[text]; ok && raw[0] == '"' {
		return quoteJSON(m)
	}
	switch fs.kind {
	case kindString:
		if raw[0] != '"' && typeName(raw) == "number" {
			return quoteJSON(text) // a code held as a number (DBF, Excel)
		}
		if raw[0] == '"' && (fs.name == "town") {
			if code, ok := c.towns.code(strings.TrimSpace(text)); ok {
				return quoteJSON(code)
			}
		}
		if raw[0] == '"' && strings.TrimSpace(text) != text {
			return quoteJSON(strings.TrimSpace(text))
		}
	case kindNumber, kindInt:
		v, isNum := number(raw)
		if !isNum {
			return raw // the validator names it: must be a number
		}
		if fs.scaled {
			v *= fs.scale
			return json.RawMessage(strconv.FormatFloat(v, 'f', -1, 64))
		}
		if raw[0] == '"' {
			return json.RawMessage(strconv.FormatFloat(v, 'f', -1, 64))
		}
	case kindBool:
		if b, ok := boolean(text); ok {
			return json.RawMessage(strconv.FormatBool(b))
		}
	case kindStrings:
		if raw[0] == '"' {
			b, _ := json.Marshal(splitList(text))
			return b
		}
	}
	return raw
}

// geometry returns the feature's geometry: the source's, or for a
// register without one, a point from its lon/lat columns or else the
// firm's town seat (the model measures relocation from the seat); nil
// when there is none.
func (c *converter) geometry(f *rawFeature, i int, byName func(col string) json.RawMessage, town string) (*rawGeometry, error) {
	if f.Geometry != nil || c.layer != LayerEnterprises {
		return f.Geometry, nil
	}
	lonRaw, latRaw := byName(c.lonLat[0]), byName(c.lonLat[1])
	if c.lonLat[0] != "" && c.lonLat[1] != "" && !isEmpty(lonRaw) && !isEmpty(latRaw) {
		lon, ok1 := number(lonRaw)
		lat, ok2 := number(latRaw)
		if !ok1 || !ok2 {
			return pointJSON(lonRaw, latRaw), nil // the validator names the fault
		}
		p := orb.Point{lon, lat}
		switch strings.ToLower(c.src.Map.Coordinates) {
		case coordGCJ02:
			p = geo.GCJ02ToWGS84(p)
		case coordBD09:
			p = geo.GCJ02ToWGS84(geo.BD09ToGCJ02(p))
		}
		if in, known := c.towns.contains(town, p); known && !in && c.fault != nil {
			frame := strings.ToLower(c.src.Map.Coordinates)
			if frame == "" {
				frame = coordWGS84
			}
			c.fault(i, fault{"geometry", fmt.Sprintf("position %s, %s (columns %s, %s, read as %s) lies outside town %s: check the town, the coordinates, or their frame (coordinates: wgs84, gcj02 or bd09 in the mapping)",
				rawText(lonRaw), rawText(latRaw), c.lonLat[0], c.lonLat[1], frame, town)})
		}
		return pointJSON(num64(p[0]), num64(p[1])), nil
	}
	seat, ok := c.towns.seat(town)
	if !ok {
		return nil, nil // the validator reports the town, or the missing geometry
	}
	if projected(c.src.EPSG) {
		x, err := geo.FromLonLat(seat, c.src.EPSG)
		if err != nil {
			return nil, err
		}
		seat = x.(orb.Point)
	}
	return pointJSON(num64(seat[0]), num64(seat[1])), nil
}

func pointJSON(x, y json.RawMessage) *rawGeometry {
	return &rawGeometry{Type: "Point", Coordinates: json.RawMessage("[" + string(x) + "," + string(y) + "]")}
}

func num64(v float64) json.RawMessage { return json.RawMessage(strconv.FormatFloat(v, 'f', -1, 64)) }

func isEmpty(raw json.RawMessage) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	return raw[0] == '"' && strings.TrimSpace(rawText(raw)) == ""
}

// rawText is a JSON scalar as text: a string unquoted, else as written.
func rawText(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '"' {
		s, err := unquote(raw)
		if err == nil {
			return s
		}
	}
	return string(raw)
}

// number reads a JSON number, or a string holding one ("1,234.5" too).
func number(raw json.RawMessage) (float64, bool) {
	s := rawText(raw)
	if raw[0] == '"' {
		s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	} else if typeName(raw) != "number" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && finite(v)
}

// boolean reads the ways a DBF or register says yes or no.
func boolean(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "y", "yes", "1", "是", "有", "达标", "合格":
		return true, true
	case "false", "f", "n", "no", "0", "否", "无", "不达标", "不合格":
		return false, true
	}
	return false, false
}

// splitList reads a list held in one text column: GDAL's "(2:a,b)" for a
// string list written to a DBF, a JSON array (GeoPackage), or items
// separated by ; , 、 or ，.
func splitList(s string) []string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		if _, rest, ok := strings.Cut(s[1:len(s)-1], ":"); ok {
			s = rest
		}
	} else if strings.HasPrefix(s, "[") {
		var out []string
		if json.Unmarshal([]byte(s), &out) == nil {
			return out
		}
	}
	out := []string{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '、' || r == '，' || r == '；' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
