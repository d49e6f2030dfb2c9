package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/parkplan/parkplan/planner"
)

// runExport implements `parkplan export --out DIR [--db URL]`: it writes
// the stored dataset in the public format (docs/data-format.md); and
// `parkplan export --scenario ID --format gpkg|shp|qgz [--encoding GBK] --out
// FILE`: a saved plan as a GeoPackage, zipped Shapefiles or a QGIS
// project beside its GeoPackage (exportPlan).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "usage: parkplan export --out DIR [--db URL]\n"+
		"       parkplan export --scenario ID --format gpkg|shp|qgz [--encoding UTF-8|GBK] --out FILE [--db URL]", stderr)
	dbURL := dbFlag(fs)
	out := fs.String("out", "", "directory to write (created if needed; its dataset files are replaced); with --scenario the file to write")
	scenario := fs.String("scenario", "", "export this saved scenario's plan instead of the dataset")
	format := fs.String("format", planner.ExportGPKG, "with --scenario: gpkg (one GeoPackage), shp (a .zip of Shapefiles) or qgz (a .zip of the GeoPackage and a styled QGIS project)")
	encoding := fs.String("encoding", "UTF-8", "with --format shp: the DBFs' encoding, UTF-8 or GBK (older ArcGIS)")
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil // usage printed
	} else if err != nil {
		return planner.FieldErrorf("export", "%v", err)
	}
	if len(pos) > 0 {
		return planner.FieldErrorf("export", "unexpected argument %q (use --out DIR)", pos[0])
	}
	if *out == "" {
		return planner.FieldErrorf("--out", "missing: parkplan export --out DIR (or --scenario ID --format gpkg --out FILE)")
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if *scenario != "" {
		return exportPlan(ctx, db, *scenario, *format, *encoding, *out, stdout)
	}
	n, err := db.Export(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported to %s: %s\n", *out, countsText(n))
	return nil
}
