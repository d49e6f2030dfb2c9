package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// encodeSeed seeds the randomized encoder tests.
const encodeSeed = 20190042

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(encodeSeed, 1))
	alphabet := []string{"a", "Z", "0", " ", `"`, `\`, "/", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "é", "镇", "🏭", "\u2028", "\xff", "\xe9\x95"}
	cases := []string{"", "plain", `quote " and \ backslash`, "控制\x01字符", "\xc3\x28 invalid"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		enc := appendJSONString(nil, []byte(s))
		var got string
		if err := json.Unmarshal(enc, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, enc, err)
		}
		// The oracle: the string's runes, each invalid byte one U+FFFD (as Go decodes).
		var want []rune
		for _, r := range s {
			want = append(want, r)
		}
		if got != string(want) {
			t.Errorf("%q: decodes to %q, want %q", s, got, string(want))
		}
	}
}

func TestParseRecord(t *testing.T) {
	for _, tc := range []struct {
		name string
		rec  string
		want []any // string or nil (NULL)
	}{
		{"plain", "(a,b,c)", []any{"a", "b", "c"}},
		{"nulls", "(,x,)", []any{nil, "x", nil}},
		{"empty string", `("",x)`, []any{"", "x"}},
		{"quoted specials", `("a,b","(c)","d""e","f\\g")`, []any{"a,b", "(c)", `d"e`, `f\g`}},
		{"one field", "(42)", []any{"42"}},
		{"json in a field", `("[""textile"",""hardware""]")`, []any{`["textile","hardware"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := make([][]byte, len(tc.want))
			if !parseRecord([]byte(tc.rec), out) {
				t.Fatalf("parseRecord(%s) failed", tc.rec)
			}
			for i, w := range tc.want {
				if w == nil && out[i] != nil || w != nil && (out[i] == nil || string(out[i]) != w.(string)) {
					t.Errorf("field %d = %q (nil %v), want %v", i, out[i], out[i] == nil, w)
				}
			}
		})
	}
	for _, bad := range []string{"", "()", "(a,b", "a,b)", "(a,b,c)", "(a)"} {
		if parseRecord([]byte(bad), make([][]byte, 2)) {
			t.Errorf("parseRecord(%q) into 2 fields succeeded", bad)
		}
	}
}

// TestParseRecordReadsPostgreSQL parses rows PostgreSQL itself writes
// (record_out), values chosen to need every quoting rule.
func TestParseRecordReadsPostgreSQL(t *testing.T) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		t.Fatal("DATABASE_URL is unset; run `make test` or export DATABASE_URL=$(scripts/db.sh)")
	}
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	vals := []any{"plain", nil, "", `q"uote`, `back\slash`, "(paren), comma", " spaced ", "镇 \n line", "1e+20"}
	var rec sql.RawBytes
	rows, err := db.QueryContext(context.Background(), `select row($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::float8)`, vals...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	if err := rows.Scan(&rec); err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, len(vals))
	if !parseRecord(rec, out) {
		t.Fatalf("cannot parse %q", rec)
	}
	for i, v := range vals {
		if v == nil {
			if out[i] != nil {
				t.Errorf("field %d: %q, want NULL", i, out[i])
			}
		} else if string(out[i]) != v.(string) {
			t.Errorf("field %d: %q, want %q", i, out[i], v)
		}
	}
}

func TestAppendFeatureWritesNullForNonFiniteNumbers(t *testing.T) {
	l := &featureLayer{props: []featureProp{num("x", "x", ""), num("y", "y", ""), boolean("b", "b", ""), str("s", "s", "")}}
	for i := range l.props {
		l.props[i].key = append(appendJSONString(nil, []byte(l.props[i].name)), ':')
	}
	got := appendFeature(nil, l, []byte("F1"), []byte(`{"type":"Point","coordinates":[1,2]}`),
		[][]byte{[]byte("NaN"), []byte("-Infinity"), []byte("t"), nil})
	want := `{"type":"Feature","id":"F1","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"x":null,"y":null,"b":true,"s":null}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
