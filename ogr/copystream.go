package ogr

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb/encoding/ewkb"

	"github.com/parkplan/parkplan/planner/dataset"
)

// The binary stream (StreamFeatures, dumpRun): ogr2ogr writes the layers
// as a PostgreSQL dump — the rows of a COPY per layer, geometries as hex
// EWKB — the same bytes it sends a PostGIS server when it loads a layer,
// so GDAL formats no coordinate as text and parkplan parses none.
const (
	// copyGeomColumn and copyFIDColumn name the dump's geometry and FID
	// columns (a source's own columns keep their names: LAUNDER=NO).
	copyGeomColumn = "parkplan_geom"
	copyFIDColumn  = "parkplan_fid"
	// copyBatch is how many decoded features go over the channel at once.
	copyBatch = 256
)

// BinaryFields reports whether every column of l has a type the binary
// stream renders as the GeoJSON stream does (strings, integers, reals,
// booleans); lists, dates, binary and JSON columns take the GeoJSON stream.
func BinaryFields(l Layer) bool {
	for _, f := range l.Fields {
		if _, ok := copyKind(f.Type); !ok {
			return false
		}
	}
	return true
}

// copyValueKind is how a column's COPY text becomes a JSON value.
type copyValueKind int

const (
	copyString copyValueKind = iota
	copyNumber
	copyBool
)

func copyKind(gdalType string) (copyValueKind, bool) {
	switch gdalType {
	case "String":
		return copyString, true
	case "Integer", "Integer64", "Integer(Int16)", "Real", "Real(Float32)":
		return copyNumber, true
	case "Integer(Boolean)", "Integer64(Boolean)":
		return copyBool, true
	}
	return 0, false
}

// copyLayout is how the rows of one COPY block become SourceFeatures:
// their value columns (names, shared by the block's features), each
// one's kind, and where each column of the row goes.
type copyLayout struct {
	names []string
	kinds []copyValueKind // by names
	slots []int           // by the COPY's columns: an index in names, or slotGeom or slotFID
}

const (
	slotGeom = -1
	slotFID  = -2
)

// layout returns the layout of a COPY block of cols.
func (s *copyStream) layout(cols []string) *copyLayout {
	l := &copyLayout{slots: make([]int, len(cols))}
	for i, col := range cols {
		switch col {
		case copyGeomColumn:
			l.slots[i] = slotGeom
		case copyFIDColumn:
			l.slots[i] = slotFID
		default:
			l.slots[i] = len(l.names)
			l.names = append(l.names, col)
			l.kinds = append(l.kinds, s.kinds[col])
		}
	}
	return l
}

// row decodes one COPY row of a block laid out as l. Its values share
// one buffer; its geometry is decoded from hex EWKB through s.wkb.
func (s *copyStream) row(l *copyLayout, line []byte) (*dataset.SourceFeature, error) {
	f := &dataset.SourceFeature{Columns: l.names, Values: make([]json.RawMessage, len(l.names))}
	var buf []byte // the values' JSON, one after the other
	for i, slot := range l.slots {
		var field []byte
		if j := bytes.IndexByte(line, '\t'); j >= 0 {
			field, line = line[:j], line[j+1:]
		} else {
			field, line = line, nil
			if i < len(l.slots)-1 {
				return nil, fmt.Errorf("%d values for %d columns", i+1, len(l.slots))
			}
		}
		if string(field) == `\N` {
			continue // null: absent, as GeoJSON's null
		}
		switch slot {
		case slotFID:
			continue
		case slotGeom:
			n := hex.DecodedLen(len(field))
			if cap(s.wkb) < n {
				s.wkb = make([]byte, n)
			}
			wkb := s.wkb[:n]
			if _, err := hex.Decode(wkb, field); err != nil {
				return nil, fmt.Errorf("geometry: %v", err)
			}
			g, _, err := ewkb.Unmarshal(wkb) // copies the coordinates out
			if err != nil {
				return nil, fmt.Errorf("geometry: %v", err)
			}
			f.Geometry = g
			continue
		}
		if buf == nil {
			buf = make([]byte, 0, len(field)+len(line)+2*len(l.names))
		}
		start := len(buf)
		buf = appendValue(buf, l.kinds[slot], field)
		f.Values[slot] = buf[start:len(buf):len(buf)]
	}
	return f, nil
}

// appendValue appends a column's COPY text as the GeoJSON stream would
// write its value.
func appendValue(b []byte, kind copyValueKind, field []byte) []byte {
	if bytes.IndexByte(field, '\\') >= 0 {
		field = []byte(unescapeCOPY(field))
	}
	switch kind {
	case copyNumber:
		if v, err := strconv.ParseFloat(string(field), 64); err == nil {
			if bytes.ContainsAny(field, ".eE") {
				return strconv.AppendFloat(b, v, 'f', -1, 64)
			}
			return append(b, field...)
		}
	case copyBool:
		switch string(field) {
		case "1", "t", "true", "TRUE":
			return append(b, "true"...)
		case "0", "f", "false", "FALSE":
			return append(b, "false"...)
		}
	}
	return dataset.AppendJSONText(b, field)
}

// copyColumns reads the column names of a dump's COPY line:
// COPY "schema"."table" ("a", "b") FROM STDIN;
func copyColumns(line string) ([]string, error) {
	open := strings.IndexByte(line, '(')
	end := strings.LastIndex(line, ") FROM STDIN")
	if open < 0 || end < open {
		return nil, fmt.Errorf("unexpected COPY line %.80q", line)
	}
	list := line[open+1 : end]
	var cols []string
	for len(list) > 0 {
		list = strings.TrimLeft(list, " ,")
		if !strings.HasPrefix(list, `"`) {
			return nil, fmt.Errorf("unexpected column list %.80q", line[open:])
		}
		var b strings.Builder
		i := 1
		for ; i < len(list); i++ {
			if list[i] == '"' {
				if i+1 < len(list) && list[i+1] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			b.WriteByte(list[i])
		}
		if i >= len(list) {
			return nil, errors.New("unterminated column name in the COPY line")
		}
		cols = append(cols, b.String())
		list = list[i+1:]
	}
	return cols, nil
}

// unescapeCOPY undoes COPY's text-format escapes (\\, \t, \n, \r, \b,
// \f, \v, octal \NNN and hex \xHH).
func unescapeCOPY(field []byte) string {
	if bytes.IndexByte(field, '\\') < 0 {
		return string(field)
	}
	var b strings.Builder
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c != '\\' || i+1 == len(field) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := field[i]; e {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			j := i + 1
			for j < len(field) && j < i+3 && isHex(field[j]) {
				j++
			}
			v, _ := strconv.ParseUint(string(field[i+1:j]), 16, 8)
			b.WriteByte(byte(v))
			i = j - 1
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(field) && j < i+3 && field[j] >= '0' && field[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(string(field[i:j]), 8, 8)
				b.WriteByte(byte(v))
				i = j - 1
				continue
			}
			b.WriteByte(e)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
