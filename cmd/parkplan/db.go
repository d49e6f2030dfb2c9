package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
)

// newFlagSet returns a subcommand's flag set: errors returned, not
// exited on, and written to stderr. A non-empty usage line replaces the
// default usage header; the flag defaults follow it.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if usage != "" {
		fs.Usage = func() {
			fmt.Fprintln(stderr, usage)
			fs.PrintDefaults()
		}
	}
	return fs
}

// dbFlag registers --db, the PostGIS URL, defaulting to $DATABASE_URL.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", os.Getenv("DATABASE_URL"), "PostGIS URL (default $DATABASE_URL)")
}

// openMigrated opens the PostGIS database at url and applies every
// pending migration, parkplan's and the job queue's (River); the caller
// closes it. On a failed migration the database is closed and the error
// returned.
func openMigrated(ctx context.Context, url string) (*data.DB, error) {
	db, err := data.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := jobs.Migrate(ctx, db.SQL()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
