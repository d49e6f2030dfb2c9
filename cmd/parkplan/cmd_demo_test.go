package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// demoFiles are the six files of the public dataset format and the two
// of its synthetic monitoring record.
var demoFiles = []string{"towns.geojson", "parcels.geojson", "protected.geojson", "enterprises.geojson", "quotas.csv", "industries.csv",
	"monitoring/parks.csv", "monitoring/firms.csv"}

// TestDemoSameBytes runs `parkplan demo` twice into two directories and
// compares every file byte for byte.
func TestDemoSameBytes(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"demo", "--out", dir, "--seed", "2019"}, &out, &errb); code != 0 {
			t.Fatalf("parkplan demo exit %d: %s", code, errb.String())
		}
		if !strings.Contains(out.String(), "11 existing 1700 mu") {
			t.Errorf("summary line: %q", out.String())
		}
	}
	for _, f := range demoFiles {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: %d and %d bytes, not identical", f, len(x), len(y))
		}
	}
	var files []string
	filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	if len(files) != len(demoFiles) {
		t.Errorf("demo wrote %d files, want exactly %d: %v", len(files), len(demoFiles), files)
	}
}

func TestDemoBadArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no out", []string{"demo"}, "--out"},
		{"scale too big", []string{"demo", "--out", "x", "--scale", "1000"}, "scale"},
		{"scale zero means one, negative is bad", []string{"demo", "--out", "x", "--scale", "-1"}, "scale"},
		{"stray argument", []string{"demo", "--out", "x", "extra"}, "extra"},
		{"not a number", []string{"demo", "--out", "x", "--seed", "abc"}, "seed"},
		{"no county", []string{"demo", "--out", "x", "--counties", "0"}, "counties 0 out of range 1–100"},
		{"scale and counties", []string{"demo", "--out", "x", "--scale", "2", "--counties", "3"}, "scale 2 with 3 counties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), tt.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and a message naming %q", code, errb.String(), tt.msg)
			}
		})
	}
}

// TestDemoBytesUnchanged: `parkplan demo`, with and without --counties 1,
// writes exactly the bytes it wrote before counties existed (the sha256
// of each file, recorded from c6f43be's `parkplan demo` in
// testdata/demo_sha256.golden): benchmarks rely on "the demo exactly as
// parkplan demo writes it". A province (--counties 3) adds
// counties.geojson.
func TestDemoBytesUnchanged(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "demo_sha256.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{{"default", nil}, {"one county", []string{"--counties", "1"}}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var out, errb bytes.Buffer
			if code := run(context.Background(), append([]string{"demo", "--out", dir}, tc.args...), &out, &errb); code != 0 {
				t.Fatalf("parkplan demo exit %d: %s", code, errb.String())
			}
			var got strings.Builder
			for _, f := range demoFiles {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&got, "%x  %s\n", sha256.Sum256(b), f)
			}
			if got.String() != string(golden) {
				t.Errorf("the demo's files changed:\n%s\nwant\n%s", got.String(), golden)
			}
			if _, err := os.Stat(filepath.Join(dir, "counties.geojson")); !os.IsNotExist(err) {
				t.Errorf("a one-county demo wrote counties.geojson (%v)", err)
			}
		})
	}
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--out", dir, "--counties", "3"}, &out, &errb); code != 0 {
		t.Fatalf("parkplan demo --counties 3 exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "(seed 2019, 3 counties): 57 towns") {
		t.Errorf("summary line: %q", out.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "counties.geojson"))
	if err != nil || strings.Count(string(b), `"type":"Feature"`) != 3 {
		t.Errorf("counties.geojson of a 3-county demo: %v\n%.300s", err, b)
	}
}
