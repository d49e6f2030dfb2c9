package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/jobs"
	"github.com/parkplan/parkplan/planner"
)

// runMigrate implements `parkplan migrate [up|down|status] [--all] [--db URL]`:
// up (the default) applies every pending migration, parkplan's (goose)
// then River's (rivermigrate, the job queue's tables); down rolls back the
// latest of parkplan's (every one, and River's, with --all); status lists
// parkplan's. --db defaults to $DATABASE_URL.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "usage: parkplan migrate [up|down|status] [--all] [--db URL]", stderr)
	dbURL := dbFlag(fs)
	all := fs.Bool("all", false, "with down: roll back every migration")
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil // usage printed
	} else if err != nil {
		return planner.FieldErrorf("migrate", "%v", err)
	}
	action := "up"
	switch len(pos) {
	case 0:
	case 1:
		action = pos[0]
	default:
		return planner.FieldErrorf("migrate", "unexpected argument %q", pos[1])
	}
	if action != "up" && action != "down" && action != "status" {
		return planner.FieldErrorf("migrate", "unknown action %q: want up, down or status", action)
	}
	db, err := data.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	var rs []data.MigrationResult
	switch action {
	case "status":
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		data.WriteMigrationStatus(stdout, st)
		return nil
	case "up":
		rs, err = db.Migrate(ctx)
	case "down":
		if *all {
			var river []jobs.Migration
			river, err = jobs.MigrateDown(ctx, db.SQL())
			printRiver(stdout, "down", river)
			if err != nil {
				return err
			}
		}
		rs, err = db.MigrateDown(ctx, *all)
	}
	for _, r := range rs {
		fmt.Fprintf(stdout, "%s %05d %s\n", r.Direction, r.Version, r.Source)
	}
	n := len(rs)
	if err == nil && action == "up" {
		var river []jobs.Migration
		river, err = jobs.Migrate(ctx, db.SQL())
		printRiver(stdout, "up", river)
		n += len(river)
	}
	if err == nil && n == 0 {
		fmt.Fprintln(stdout, "nothing to do: the schema is current")
	}
	return err
}

// printRiver lists River's migrations applied or rolled back.
func printRiver(w io.Writer, dir string, ms []jobs.Migration) {
	for _, m := range ms {
		fmt.Fprintf(w, "%s river %03d %s\n", dir, m.Version, m.Name)
	}
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments (`import DIR --crs EPSG:4549`) and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
