package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// runExport implements `parkplan export --out DIR [--db URL]`: it writes
// the stored dataset in the public format (docs/data-format.md).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parkplan export --out DIR [--db URL]")
		fs.PrintDefaults()
	}
	dbURL := fs.String("db", os.Getenv("DATABASE_URL"), "PostGIS URL (default $DATABASE_URL)")
	out := fs.String("out", "", "directory to write (created if needed; its dataset files are replaced)")
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
		return planner.FieldErrorf("--out", "missing: parkplan export --out DIR")
	}
	db, err := data.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	n, err := db.Export(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported to %s: %s\n", *out, countsText(n))
	return nil
}
