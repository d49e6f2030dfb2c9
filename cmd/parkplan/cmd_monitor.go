package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset"
)

// runMonitor implements `parkplan monitor DIR [--db URL]`: it loads a
// yearly park monitoring directory (parks.csv, firms.csv; docs/data-format.md)
// in one transaction, replacing the years it holds and keeping the others.
// `parkplan import DIR` does the same for DIR/monitoring when present.
func runMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("monitor", "usage: parkplan monitor DIR [--max-errors N] [--db URL]", stderr)
	dbURL := dbFlag(fs)
	maxErrs := fs.Int("max-errors", dataset.DefaultMaxErrors, "stop after this many validation errors")
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return planner.FieldErrorf("monitor", "%v", err)
	}
	if len(pos) != 1 {
		return planner.FieldErrorf("monitor", "want one monitoring directory: parkplan monitor DIR")
	}
	if st, err := os.Stat(pos[0]); err != nil || !st.IsDir() {
		return planner.FieldErrorf(pos[0], "not a directory")
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return importMonitoring(ctx, db, pos[0], dataset.Options{MaxErrors: *maxErrs}, stdout)
}

// importMonitoring loads dir with this year (the machine's clock) as the
// latest year a record may hold, and says what it loaded.
func importMonitoring(ctx context.Context, db *data.DB, dir string, opt dataset.Options, stdout io.Writer) error {
	start := time.Now()
	n, err := db.ImportMonitoring(ctx, dir, start.Year(), opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported monitoring %s in %.1f s: years %v, %d park-years, %d firm-years\n", dir, time.Since(start).Seconds(), n.Years, n.Parks, n.Firms)
	return nil
}
