package mps_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/plantest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestGoldenHand pins the exact model of the baseline on plantest.Hand,
// MPS and name map: a change to the model shows up as a diff to review.
// Run with -update after a deliberate change.
func TestGoldenHand(t *testing.T) {
	inst, err := planner.BuildInstance(plantest.Hand(), planner.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	m := mps.Build(inst)
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"hand.mps", func(b *bytes.Buffer) error { return m.Write(b) }},
		{"hand.names", func(b *bytes.Buffer) error { return m.WriteNames(b) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", f.name)
		if *update {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from the golden file (run with -update after a deliberate model change)", f.name)
		}
	}
}
