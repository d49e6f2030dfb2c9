package data

import "unicode/utf8"

// appendFeature appends one RFC 7946 Feature to b, built from a row of a
// feature query: the id, the geometry as GeoJSON text (ST_AsGeoJSON), and
// the property values in PostgreSQL's text form (parseRecord; nil for
// NULL; booleans t/f). NaN and ±Infinity, which JSON lacks, become null.
func appendFeature(b []byte, l *featureLayer, id, geom []byte, vals [][]byte) []byte {
	b = append(b, `{"type":"Feature","id":`...)
	b = appendJSONString(b, id)
	b = append(b, `,"geometry":`...)
	if geom == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, geom...)
	}
	b = append(b, `,"properties":{`...)
	first := true
	for i := range l.props {
		p := &l.props[i]
		v := vals[i]
		if p.typ == "members" {
			// a JSON object's members, in place; "{}" or null: none
			if len(v) > 2 {
				if !first {
					b = append(b, ',')
				}
				b = append(b, v[1:len(v)-1]...)
				first = false
			}
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, p.key...)
		switch {
		case v == nil:
			b = append(b, "null"...)
		case p.typ == "string":
			b = appendJSONString(b, v)
		case p.typ == "boolean":
			if len(v) > 0 && (v[0] == 't' || v[0] == 'T') {
				b = append(b, "true"...)
			} else {
				b = append(b, "false"...)
			}
		case p.typ == "number" || p.typ == "integer":
			if !finiteNumber(v) {
				b = append(b, "null"...)
			} else {
				b = append(b, v...)
			}
		default: // array: the expression yields JSON text
			b = append(b, v...)
		}
	}
	return append(b, "}}"...)
}

// finiteNumber reports whether v is a finite number's text (not NaN,
// Infinity, +Inf, -Inf).
func finiteNumber(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	c := v[len(v)-1]
	return c >= '0' && c <= '9' || c == '.'
}

// hexDigits writes control characters as \u00XX.
const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string holds as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s (UTF-8) as a JSON string (RFC 8259:
// quotation mark, reverse solidus and control characters escaped;
// invalid UTF-8 replaced by U+FFFD).
func appendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"':
				b = append(b, `\"`...)
			case '\\':
				b = append(b, `\\`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// parseRecord splits PostgreSQL's text form of a row value, "(a,b,…)",
// into out (one slice per field, nil for NULL), unquoting quoted fields
// in place (rec is overwritten). It reports false when rec is not a row
// of len(out) fields.
func parseRecord(rec []byte, out [][]byte) bool {
	if len(rec) < 2 || rec[0] != '(' || rec[len(rec)-1] != ')' {
		return false
	}
	i, n := 1, 0
	for n < len(out) {
		switch {
		case rec[i] == ',' || rec[i] == ')':
			out[n] = nil // nothing between separators: NULL
		case rec[i] == '"':
			// Quoted: "" and \\ stand for " and \; unquote in place.
			w := i
			start := w
			i++
			for i < len(rec) {
				c := rec[i]
				if c == '"' || c == '\\' {
					if i+1 < len(rec) && rec[i+1] == c {
						rec[w] = c
						w++
						i += 2
						continue
					}
					if c == '"' {
						i++
						break
					}
				}
				rec[w] = c
				w++
				i++
			}
			out[n] = rec[start:w:w]
		default:
			start := i
			for i < len(rec) && rec[i] != ',' && rec[i] != ')' {
				i++
			}
			out[n] = rec[start:i:i]
		}
		if i >= len(rec) {
			return false
		}
		n++
		if rec[i] == ')' {
			return n == len(out) && i == len(rec)-1
		}
		i++ // the comma
	}
	return false
}
