package main

import (
	"encoding/json"
	"io"
	"path/filepath"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/layers"
)

// writePlanFiles writes a plan's five files into dir (docs/data-format.md,
// "Plan outputs"): the plan layers of planner/layers (parks, assignments,
// unplaced, towns) as RFC 7946 GeoJSON in lon/lat (EPSG:4490), features in
// id order, and plan.json. The bytes depend only on the plan and the
// dataset.
func writePlanFiles(dir string, ds *planner.Dataset, plan *planner.Plan) error {
	for _, c := range layers.Plan(ds, plan) {
		c := c
		if err := writeFileAtomic(filepath.Join(dir, c.Name+".geojson"), func(w io.Writer) error { return layers.WriteGeoJSON(w, c) }); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(dir, "plan.json"), func(w io.Writer) error { return writeJSON(w, plan) })
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
