package data

import (
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/parkplan/parkplan/geo/mvt"
)

// A tile row is one feature of a layer as its tiles read it, encoded by
// PostgreSQL when the row is written (a generated column, kept by
// PostgreSQL on every insert and update, never stale): each property
// in the layer's order as a 4-byte big-endian length (-1 for NULL) and
// its value — a string's UTF-8 bytes, a number as float8 and an integer
// as int8 (8 bytes, big-endian: float8send, int8send), a boolean as one
// byte — and then the geometry's WKB (ST_AsBinary), to the end. A tile
// then costs PostgreSQL the index search and one stored value per
// feature: the row value and the WKB computed per request cost it 2.5
// times as much (docs/scale.md). The column's generation expression is
// tileRowExpr of the layer's definition (TestTileRowMigration checks
// that the migration wrote exactly that).

// tileRowNull is the length that marks a NULL property in a tile row.
const tileRowNull = -1

// tileRowColumn matches a property or geometry expression that is a
// plain column of the layer's table ("p.name"), the only kind a
// generated column can hold.
var tileRowColumn = regexp.MustCompile(`^[a-z]+\.([a-z_][a-z0-9_]*)$`)

// tileRowExpr returns the generation expression of layer l's tile row
// over its table (its column names without the table alias), or an
// error when a property or the geometry is not a plain column.
func tileRowExpr(l *featureLayer) (string, error) {
	col := func(e string) (string, error) {
		m := tileRowColumn.FindStringSubmatch(e)
		if m == nil {
			return "", fmt.Errorf("layer %s: %q is not a column of its table", l.name, e)
		}
		return m[1], nil
	}
	parts := make([]string, 0, len(l.props)+1)
	for _, p := range l.props {
		c, err := col(p.expr)
		if err != nil {
			return "", err
		}
		var v string
		switch p.typ {
		case "number":
			v = `'\x00000008'::bytea || float8send(` + c + `::double precision)`
		case "integer":
			v = `'\x00000008'::bytea || int8send(` + c + `::bigint)`
		case "boolean":
			v = `'\x00000001'::bytea || boolsend(` + c + `::boolean)`
		default: // string, array and members: their text
			// text → bytea reads backslash escapes: doubled, every byte stays itself.
			t := c + `::text`
			v = `int4send(octet_length(` + t + `)) || replace(` + t + `, '\', '\\')::bytea`
		}
		parts = append(parts, `coalesce(`+v+`, '\xffffffff'::bytea)`)
	}
	g, err := col(l.geom)
	if err != nil {
		return "", err
	}
	parts = append(parts, "ST_AsBinary("+g+")")
	return strings.Join(parts, " || "), nil
}

// tileRowProps sets the next feature's properties from tile row b
// (nil values left out, as ST_AsMVT does) and returns the geometry's
// WKB, the rest of b; the same properties, as the same MVT values, as
// tileProps reads from the row value.
func tileRowProps(layer *mvt.Layer, keys []mvt.Key, l *featureLayer, b []byte) ([]byte, error) {
	for i := range l.props {
		p := &l.props[i]
		if len(b) < 4 {
			return nil, fmt.Errorf("tile row cut short before property %s", p.name)
		}
		n := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		if n == tileRowNull {
			continue
		}
		if n < 0 || int(n) > len(b) {
			return nil, fmt.Errorf("tile row: property %s has length %d, %d bytes left", p.name, n, len(b))
		}
		v := b[:n:n]
		b = b[n:]
		switch p.typ {
		case "number", "integer":
			if len(v) != 8 {
				return nil, fmt.Errorf("tile row: %s property %s has %d bytes (want 8)", p.typ, p.name, len(v))
			}
			if p.typ == "number" {
				layer.Double(keys[i], math.Float64frombits(binary.BigEndian.Uint64(v)))
			} else {
				layer.Int(keys[i], int64(binary.BigEndian.Uint64(v)))
			}
		case "boolean":
			if len(v) != 1 {
				return nil, fmt.Errorf("tile row: boolean property %s has %d bytes (want 1)", p.name, len(v))
			}
			layer.Bool(keys[i], v[0] != 0)
		default: // string; array (JSON text)
			layer.String(keys[i], v)
		}
	}
	return b, nil
}
