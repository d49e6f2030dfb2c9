package dataset

import (
	"encoding/json"
	"sort"
	"unicode/utf8"
)

// fieldValues are a converted feature's properties: the layer's field
// names (shared by its features) and each one's JSON value, nil where
// the feature has none.
type fieldValues struct {
	names []string
	vals  []json.RawMessage
}

// lookup returns the raw value of key and whether the feature has it.
func (p *props) lookup(key string) (json.RawMessage, bool) {
	if f := p.fields; f != nil {
		for i, n := range f.names {
			if n == key {
				return f.vals[i], f.vals[i] != nil
			}
		}
		return nil, false
	}
	v, ok := p.m[key]
	return v, ok
}

// set sets the raw value of key.
func (p *props) set(key string, v json.RawMessage) {
	f := p.fields
	if f == nil {
		p.m[key] = v
		return
	}
	for i, n := range f.names {
		if n == key {
			f.vals[i] = v
			return
		}
	}
	// the names are shared by the layer's features: this feature's own copy
	p.fields = &fieldValues{names: append(f.names[:len(f.names):len(f.names)], key), vals: append(f.vals, v)}
}

// keys returns the names of the feature's properties, sorted.
func (p *props) keys() []string {
	if f := p.fields; f != nil {
		var ks []string
		for i, n := range f.names {
			if f.vals[i] != nil {
				ks = append(ks, n)
			}
		}
		sort.Strings(ks)
		return ks
	}
	return sortedKeys(p.m)
}

// validUTF8 reports whether a feature's properties (object, the GeoJSON
// text; or p's converted fields) are UTF-8.
func (p *props) validUTF8(object json.RawMessage) bool {
	f := p.fields
	if f == nil {
		return utf8.Valid(object)
	}
	for i, v := range f.vals {
		if !utf8.Valid(v) || !utf8.ValidString(f.names[i]) {
			return false
		}
	}
	return true
}
