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

// runSummary implements `parkplan summary [--db URL]`: towns, parcels by
// kind (count, mu, floor m², firms), protected land, enterprises by size
// and the new-land quota per year.
func runSummary(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parkplan summary [--db URL]")
		fs.PrintDefaults()
	}
	dbURL := fs.String("db", os.Getenv("DATABASE_URL"), "PostGIS URL (default $DATABASE_URL)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // usage printed
	} else if err != nil {
		return planner.FieldErrorf("summary", "%v", err)
	}
	if fs.NArg() > 0 {
		return planner.FieldErrorf("summary", "unexpected argument %q", fs.Arg(0))
	}
	db, err := data.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	s, err := db.Summary(ctx)
	if err != nil {
		return err
	}
	_, err = s.WriteTo(stdout)
	return err
}
