package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// runImport implements `parkplan import DIR [--crs EPSG:4549] [--from-gcj02] [--check] [--max-vertices N] [--by NAME] [--db URL]`
// and `parkplan import --mapping FILE` (a county's GeoPackage, Shapefiles,
// File Geodatabase and register, docs/import.md): it applies pending
// migrations, then replaces the stored dataset in one transaction, and
// prints what it loaded. On a bad record nothing is written and the error
// names file, feature, id and field (exit code 2). Each import makes the
// next dataset revision (number, content hash, time, --by, source). With
// --check it only validates (no database) and prints the content hash an
// import would record. `parkplan import --suggest-mapping SRC` writes a
// starting mapping for SRC.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "usage: parkplan import DIR [--crs EPSG:4549] [--from-gcj02] [--check] [--max-errors N] [--max-vertices N] [--by NAME] [--db URL]\n"+
		"       parkplan import --mapping FILE [--check] [--max-errors N] [--max-vertices N] [--by NAME] [--db URL]\n"+
		"       parkplan import --suggest-mapping SRC [--out FILE]", stderr)
	mapping := fs.String("mapping", "", "import the county's own files as this mapping file says (docs/import.md)")
	suggest := fs.Bool("suggest-mapping", false, "write a starting mapping file for SRC (a GeoPackage, .gdb, Shapefile, register or a directory of them)")
	outFile := fs.String("out", "", "with --suggest-mapping: write the mapping here instead of to standard output")
	dbURL := dbFlag(fs)
	crs := fs.String("crs", "", "CRS of coordinates in files without a \"crs\" member: EPSG:4490, EPSG:4326, EPSG:4549 or EPSG:4528")
	gcj := fs.Bool("from-gcj02", false, "lon/lat input is GCJ-02 (web-map coordinates): convert to WGS84/CGCS2000")
	maxErrs := fs.Int("max-errors", dataset.DefaultMaxErrors, "stop after this many validation errors")
	maxVerts := fs.Int("max-vertices", dataset.DefaultMaxVertices, "refuse a geometry with more positions than this")
	check := fs.Bool("check", false, "only validate DIR; touch no database")
	by := fs.String("by", defaultImporter(), "who imports, recorded in the new dataset revision")
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil // usage printed
	} else if err != nil {
		return planner.FieldErrorf("import", "%v", err)
	}
	if *suggest {
		if len(pos) != 1 {
			return planner.FieldErrorf("import", "want one source: parkplan import --suggest-mapping SRC")
		}
		return suggestMapping(ctx, pos[0], *outFile, stdout)
	}
	defer importGC()()
	if *maxVerts < 4 {
		return planner.FieldErrorf("--max-vertices", "is %d; a polygon needs at least 4 positions", *maxVerts)
	}
	if *mapping != "" {
		if len(pos) != 0 {
			return planner.FieldErrorf("import", "--mapping names the sources; give no DIR as well")
		}
		return importMapped(ctx, *mapping, *dbURL, *by, *check, dataset.Options{MaxErrors: *maxErrs, MaxVertices: *maxVerts}, stdout)
	}
	if len(pos) != 1 {
		return planner.FieldErrorf("import", "want one dataset directory: parkplan import DIR")
	}
	dir := pos[0]
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return planner.FieldErrorf(dir, "not a directory")
	}
	opt := dataset.Options{CRS: *crs, FromGCJ02: *gcj, MaxErrors: *maxErrs, MaxVertices: *maxVerts}
	start := time.Now()
	if *check {
		h, contentHash := dataset.ContentHash(dataset.Handler{})
		n, err := dataset.ReadDir(dir, opt, h)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is valid (checked in %.1f s): %s; content sha256 %s\n",
			dir, time.Since(start).Seconds(), countsText(n), contentHash())
		return nil
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Import(ctx, dir, data.ImportOptions{Read: opt, By: *by})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s in %.1f s: %s\n", dir, time.Since(start).Seconds(), countsText(n))
	if rev, err := db.DatasetRevision(ctx); err == nil && rev.Revision > 0 {
		fmt.Fprintf(stdout, "dataset revision r%d (content sha256 %s, by %s); saved plans built on earlier revisions are now stale\n",
			rev.Revision, rev.ContentHash, rev.ImportedBy)
	}
	if st, err := os.Stat(filepath.Join(dir, dataset.DirMonitoring)); err == nil && st.IsDir() {
		return importMonitoring(ctx, db, filepath.Join(dir, dataset.DirMonitoring), opt, stdout)
	}
	return nil
}

// defaultImporter names who runs the import: the operating-system user,
// or "" when it cannot be told.
func defaultImporter() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// countsText says how many records of each layer a dataset has.
func countsText(n dataset.Counts) string {
	counties := "" // one county (the demo's, data without counties) is said as before counties existed
	if n.Counties > 1 {
		counties = fmt.Sprintf("%d counties, ", n.Counties)
	}
	return fmt.Sprintf("%d industries, %s%d towns, %d quotas, %d parcels, %d protected areas, %d enterprises",
		n.Industries, counties, n.Towns, n.Quotas, n.Parcels, n.Protected, n.Enterprises)
}

// importGCPercent is the collector's GOGC during an import. An import
// allocates a few kB a feature that live only until the feature is
// written; its live heap is small (the ids seen, ≈ 20 bytes a feature),
// so the default (100) collects very often. 200 lets the heap grow 3×
// its live size first: ≈ 0.1 s less CPU per 100,000 parcels for about
// 3 MB more resident memory there, and 2× the default's (small) growth
// with the file's size — 400 saved a little more but doubled that again
// (docs/benchmarks-import.md).
const importGCPercent = 200

// importGC sets the import's GOGC and returns the function that restores
// the previous one.
func importGC() func() {
	gc := debug.SetGCPercent(importGCPercent)
	return func() { debug.SetGCPercent(gc) }
}
