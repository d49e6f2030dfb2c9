package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// props reads one feature's properties with type checks, reporting each
// fault as "<file>: feature <i> (id <id>): properties.<key>: …".
type props struct {
	file   string
	index  int
	id     string
	m      map[string]json.RawMessage // the properties by name (a GeoJSON object's)…
	fields *fieldValues               // …or, when set, a converter's
	errs   *collector
	ok     bool            // no fault so far in this feature
	faulty map[string]bool // fields already reported
	loc    *locator        // nil, or the sources the feature came from
}

func (p *props) where() string {
	if p.loc != nil {
		return p.loc.where(p.file, p.index, p.id)
	}
	return where(p.file, p.index, p.id)
}

// bad reports a fault at field (relative to the feature).
func (p *props) bad(field, format string, args ...any) {
	p.ok = false
	if p.faulty == nil {
		p.faulty = map[string]bool{}
	}
	p.faulty[field] = true
	shown := field
	if p.loc != nil {
		shown = p.loc.field(p.file, p.index, field)
	}
	p.errs.add(p.where()+": "+shown, format, args...)
}

// get returns the raw value of key, or nil if absent or null.
func (p *props) get(key string) json.RawMessage {
	v, ok := p.lookup(key)
	if !ok || bytes.Equal(v, []byte("null")) {
		return nil
	}
	return v
}

func (p *props) missing(key, what string) {
	if _, ok := p.lookup(key); ok {
		p.bad("properties."+key, "is null; it must be %s", what)
		return
	}
	p.bad("properties."+key, "missing (required %s)", what)
}

// typeName names a raw JSON value's type for messages.
func typeName(raw json.RawMessage) string {
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func (p *props) wrongType(key, want string, raw json.RawMessage) {
	p.bad("properties."+key, "must be %s, got %s %s", want, typeName(raw), quote(raw))
}

// str reads a required string that database text can hold.
func (p *props) str(key string) string { return p.text(key, p.rawStr(key)) }

// optStr reads a string that may be absent or null (""), that database
// text can hold.
func (p *props) optStr(key string) string { return p.text(key, p.optRawStr(key)) }

// rawStr reads a required string, any characters.
func (p *props) rawStr(key string) string {
	raw := p.get(key)
	if raw == nil {
		p.missing(key, "string")
		return ""
	}
	return p.decodeString(key, raw)
}

// optRawStr reads a string that may be absent or null (""), any characters.
func (p *props) optRawStr(key string) string {
	raw := p.get(key)
	if raw == nil {
		return ""
	}
	return p.decodeString(key, raw)
}

// text reports s at key when database text cannot hold it (a NUL).
func (p *props) text(key, s string) string {
	if f := textFault(s); f != "" {
		p.check(false, key, "%s", f)
	}
	return s
}

func (p *props) decodeString(key string, raw json.RawMessage) string {
	if raw[0] != '"' {
		p.wrongType(key, "a string", raw)
		return ""
	}
	s, err := unquote(raw)
	if err != nil {
		p.bad("properties."+key, "bad string %s: %v", quote(raw), err)
	}
	return s
}

// strs reads a required array of strings.
func (p *props) strs(key string) []string {
	raw := p.get(key)
	if raw == nil {
		p.missing(key, "array of strings")
		return nil
	}
	var out []string
	if raw[0] != '[' || json.Unmarshal(raw, &out) != nil {
		p.wrongType(key, "an array of strings", raw)
		return nil
	}
	for i, s := range out {
		if f := idFault(s); f != "" {
			p.bad(fmt.Sprintf("properties.%s[%d]", key, i), "%s", f)
			return nil
		}
	}
	return out
}

// number reads a required finite number.
func (p *props) number(key string) float64 {
	raw := p.get(key)
	if raw == nil {
		p.missing(key, "number")
		return 0
	}
	v, _ := p.decodeNumber(key, raw)
	return v
}

// optNumber reads a number that may be absent or null (ok false).
func (p *props) optNumber(key string) (float64, bool) {
	raw := p.get(key)
	if raw == nil {
		return 0, false
	}
	return p.decodeNumber(key, raw)
}

func (p *props) decodeNumber(key string, raw json.RawMessage) (float64, bool) {
	if typeName(raw) != "number" {
		p.wrongType(key, "a number", raw)
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || !finite(v) {
		p.bad("properties."+key, "%s is not a finite number", quote(raw))
		return 0, false
	}
	if math.Abs(v) > maxFigure {
		p.bad("properties."+key, "is %s; larger than %g, the largest figure accepted (a unit or typing error?)", quote(raw), maxFigure)
		return 0, false
	}
	return v, true
}

// integer reads a required integer (12 or 12.0; not 12.5).
func (p *props) integer(key string) int {
	raw := p.get(key)
	if raw == nil {
		p.missing(key, "integer")
		return 0
	}
	v, _ := p.decodeInt(key, raw)
	return v
}

// optInt reads an integer that may be absent or null (0).
func (p *props) optInt(key string) int {
	raw := p.get(key)
	if raw == nil {
		return 0
	}
	v, _ := p.decodeInt(key, raw)
	return v
}

func (p *props) decodeInt(key string, raw json.RawMessage) (int, bool) {
	if typeName(raw) != "number" {
		p.wrongType(key, "an integer", raw)
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		p.bad("properties."+key, "must be an integer, got %s", quote(raw))
		return 0, false
	}
	if v > maxInteger || v < -maxInteger-1 {
		p.bad("properties."+key, "is %s; outside the database's integers (%d to %d)", quote(raw), -maxInteger-1, maxInteger)
		return 0, false
	}
	return int(v), true
}

// boolean reads a required true/false.
func (p *props) boolean(key string) bool {
	raw := p.get(key)
	if raw == nil {
		p.missing(key, "boolean")
		return false
	}
	switch string(raw) {
	case "true":
		return true
	case "false":
		return false
	}
	p.wrongType(key, "true or false", raw)
	return false
}

// check reports a fault on key when cond is false, unless key was
// already reported (missing or of the wrong type).
func (p *props) check(cond bool, key, format string, args ...any) {
	if !cond && !p.faulty["properties."+key] {
		p.bad("properties."+key, format, args...)
	}
}

// shown formats a value for messages (%s), when the message is written:
// a check's arguments are evaluated whether it fails or not.
func shown(v any) fmt.Stringer { return shownValue{v} }

type shownValue struct{ v any }

func (s shownValue) String() string {
	switch v := s.v.(type) {
	case string:
		return strconv.Quote(clip(v))
	case float64:
		return num(v)
	}
	return fmt.Sprint(s.v)
}
