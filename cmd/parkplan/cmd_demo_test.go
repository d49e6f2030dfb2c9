package main

import (
	"bytes"
	"context"
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
