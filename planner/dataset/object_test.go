package dataset

import (
	"encoding/json"
	"testing"
)

// TestJSONString: JSONString writes what json.Marshal writes, for the
// text that takes its fast path and for the text that does not.
func TestJSONString(t *testing.T) {
	for _, tc := range []struct{ name, s string }{
		{"empty", ""},
		{"ascii", "P-000123"},
		{"chinese", "浒山街道"},
		{"quote", `say "hi"`},
		{"backslash", `a\b`},
		{"control", "a\tb\nc\x01"},
		{"html", "<a & b>"},
		{"line separator", "a\u2028b\u2029c"},
		{"invalid utf-8", "a\xffb\xe6\xb5"},
		{"delete", "a\x7fb"},
		{"mixed", "新增建设用地 (new_land) 100%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := json.Marshal(tc.s)
			if got := JSONString(tc.s); string(got) != string(want) {
				t.Errorf("JSONString(%q) = %s, want %s", tc.s, got, want)
			}
		})
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "abc", "浒山", "<&>", "\u2028", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := JSONString(s); string(got) != string(want) {
			t.Errorf("JSONString(%q) = %s, want %s", s, got, want)
		}
	})
}
