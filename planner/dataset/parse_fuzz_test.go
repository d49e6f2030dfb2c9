package dataset

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// The hand-written splitObject and coordinate parser must agree with
// encoding/json (the oracle) on every well-formed input. `go test` runs
// the seeds; `go test -fuzz FuzzSplitObject` explores.

func FuzzSplitObject(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"a":1}`, `{ "id" : "P-1" , "far":1.2,"n":null,"t":true,"f":false}`,
		`{"s":"with \"quotes\" and \\ and \u5468","a":[1,[2,{"x":"]"}]],"o":{"k":"}"}}`,
		`{"dup":1,"dup":2}`, "{\n\t\"k\"\r\n:\n[ ]\n}", `{"e":-1.5e-3,"z":0}`, `{"\u0069d":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want map[string]json.RawMessage
		if !json.Valid(b) || !utf8.Valid(b) || json.Unmarshal(b, &want) != nil || want == nil {
			return // rejected before splitObject's result is used (bad JSON, not UTF-8, null)
		}
		got, err := splitObject(b)
		if err != nil {
			t.Fatalf("splitObject(%q): %v", b, err)
		}
		if len(got) != len(want) {
			t.Fatalf("splitObject(%q): %d members, encoding/json %d", b, len(got), len(want))
		}
		for k, w := range want {
			g, ok := got[k]
			if !ok || !bytes.Equal(bytes.TrimSpace(g), bytes.TrimSpace(w)) {
				t.Fatalf("splitObject(%q)[%q] = %q, encoding/json %q", b, k, g, w)
			}
		}
	})
}

func FuzzParseMultiPolygon(f *testing.F) {
	for _, s := range []string{
		`[]`, `[[[[121.1,30.1],[121.2,30.1],[121.2,30.2],[121.1,30.1]]]]`,
		`[ [ [ [ 1 , 2 , 3 ] ] , [ ] ] ]`, `[[[[-1e-3,2E+2]]]]`, `[[[[1,2]],[[3,4]]],[[[5,6]]]]`, `[[[[1e400,0]]]]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want [][][][]float64
		if !json.Valid(b) {
			return
		}
		werr := json.Unmarshal(b, &want)
		got, gerr := parseMultiPolygon(b)
		if werr != nil {
			// encoding/json refuses (wrong nesting, a string, an overflow …); so must we,
			// except for null where it leaves a zero value
			if gerr == nil && !bytes.Contains(b, []byte("null")) {
				t.Fatalf("parseMultiPolygon(%q) accepted what encoding/json refuses (%v)", b, werr)
			}
			return
		}
		if gerr != nil {
			if bytes.Contains(b, []byte("null")) {
				return // we refuse null positions; encoding/json would read them as absent
			}
			t.Fatalf("parseMultiPolygon(%q): %v; encoding/json reads %v", b, gerr, want)
		}
		if len(want) == 0 && len(got) == 0 {
			return
		}
		if !reflect.DeepEqual(normalise(got), normalise(want)) {
			t.Fatalf("parseMultiPolygon(%q) = %v, encoding/json %v", b, got, want)
		}
	})
}

// normalise maps empty slices to nil so the two parsers' empties compare equal.
func normalise(mp [][][][]float64) [][][][]float64 {
	if len(mp) == 0 {
		return nil
	}
	out := make([][][][]float64, len(mp))
	for i, p := range mp {
		if len(p) == 0 {
			continue
		}
		out[i] = make([][][]float64, len(p))
		for j, r := range p {
			if len(r) == 0 {
				continue
			}
			out[i][j] = make([][]float64, len(r))
			for k, pos := range r {
				if len(pos) > 0 {
					out[i][j][k] = pos
				}
			}
		}
	}
	return out
}
