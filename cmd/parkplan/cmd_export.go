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
// the stored dataset in the public format (docs/data-format.md).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "usage: parkplan export --out DIR [--db URL]", stderr)
	dbURL := dbFlag(fs)
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
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Export(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported to %s: %s\n", *out, countsText(n))
	return nil
}
