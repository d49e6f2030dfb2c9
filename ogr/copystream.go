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

// row decodes one COPY row of cols.
func (s *copyStream) row(cols []string, line []byte) (*dataset.SourceFeature, error) {
	f := &dataset.SourceFeature{Properties: make(map[string]json.RawMessage, len(cols))}
	for i, col := range cols {
		var field []byte
		if j := bytes.IndexByte(line, '\t'); j >= 0 {
			field, line = line[:j], line[j+1:]
		} else {
			field, line = line, nil
			if i < len(cols)-1 {
				return nil, fmt.Errorf("%d values for %d columns", i+1, len(cols))
			}
		}
		if string(field) == `\N` {
			continue // null: absent, as GeoJSON's null
		}
		switch col {
		case copyFIDColumn:
			continue
		case copyGeomColumn:
			wkb := make([]byte, hex.DecodedLen(len(field)))
			if _, err := hex.Decode(wkb, field); err != nil {
				return nil, fmt.Errorf("geometry: %v", err)
			}
			g, _, err := ewkb.Unmarshal(wkb)
			if err != nil {
				return nil, fmt.Errorf("geometry: %v", err)
			}
			f.Geometry = g
			continue
		}
		text := unescapeCOPY(field)
		f.Properties[col] = s.value(col, text)
	}
	return f, nil
}

// value renders a column's text as the GeoJSON stream would write it.
func (s *copyStream) value(col, text string) json.RawMessage {
	switch s.kinds[col] {
	case copyNumber:
		if v, err := strconv.ParseFloat(text, 64); err == nil {
			if strings.ContainsAny(text, ".eE") {
				return json.RawMessage(strconv.FormatFloat(v, 'f', -1, 64))
			}
			return json.RawMessage(text)
		}
	case copyBool:
		switch text {
		case "1", "t", "true", "TRUE":
			return json.RawMessage("true")
		case "0", "f", "false", "FALSE":
			return json.RawMessage("false")
		}
	}
	return dataset.JSONString(text)
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
