package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mps"
)

// runModel implements `parkplan model --scenario FILE --out model.mps [--db URL]`:
// it builds the scenario's exact model (docs/model.md) on the stored
// dataset and writes it as fixed-format MPS, with the name map beside it
// (model.names: one "name<TAB>meaning" line per row and column).
func runModel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model", "", stderr)
	scPath := fs.String("scenario", "", "scenario file (.yaml or .json)")
	out := fs.String("out", "", "MPS file to write (the name map goes to the same name with .names)")
	dbURL := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return planner.FieldErrorf("model", "%v", err)
	}
	if *scPath == "" || *out == "" {
		return planner.FieldErrorf("model", "want --scenario FILE and --out model.mps")
	}
	sc, err := planner.LoadScenarioFile(*scPath)
	if err != nil {
		return err
	}
	db, err := data.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ds, err := db.LoadDataset(ctx)
	if err != nil {
		return err
	}
	inst, err := planner.BuildInstance(ds, *sc)
	if err != nil {
		return err
	}
	m := mps.Build(inst)
	if err := writeFileAtomic(*out, m.Write); err != nil {
		return err
	}
	names := strings.TrimSuffix(*out, ".mps") + ".names"
	if err := writeFileAtomic(names, m.WriteNames); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d rows, %d integer columns; %d sites, %d firm groups, %d arcs) and %s\n",
		*out, len(m.Rows), len(m.Columns), len(inst.Sites), len(inst.Groups), len(inst.Arcs), names)
	return nil
}

// writeFileAtomic writes path through a temporary file renamed into place,
// so a failed write leaves no half file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
