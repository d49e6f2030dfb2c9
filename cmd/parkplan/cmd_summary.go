package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// runSummary implements `parkplan summary [--db URL]`: towns, parcels by
// kind (count, mu, floor m², firms), protected land, enterprises by size
// and the new-land quota per year, then the latest dataset revision.
func runSummary(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("summary", "usage: parkplan summary [--db URL]", stderr)
	dbURL := dbFlag(fs)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // usage printed
	} else if err != nil {
		return planner.FieldErrorf("summary", "%v", err)
	}
	if fs.NArg() > 0 {
		return planner.FieldErrorf("summary", "unexpected argument %q", fs.Arg(0))
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Summary(ctx)
	if err != nil {
		return err
	}
	rev, err := db.DatasetRevision(ctx)
	if err != nil {
		return err
	}
	if _, err := s.WriteTo(stdout); err != nil {
		return err
	}
	if rev.Revision > 0 {
		_, err = fmt.Fprintf(stdout, "dataset revision: r%d, imported %s by %q from %s, content sha256 %s\n",
			rev.Revision, rev.ImportedAt.Format(time.RFC3339), rev.ImportedBy, rev.Source, rev.ContentHash)
	}
	return err
}
