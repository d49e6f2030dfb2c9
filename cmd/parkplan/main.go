// Command parkplan plans small/micro-enterprise industrial parks: it keeps
// a county's land, quotas and firms in PostGIS, solves planning scenarios,
// checks plans against quotas and protected land, and serves them over HTTP.
//
// Usage: parkplan <command> [flags]; `parkplan help` lists the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/parkplan/parkplan/planner"
)

// command is one subcommand: its name, a one-line summary and its runner.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists every subcommand, in the order help prints them.
func commands() []command {
	return []command{
		{"demo", "write the deterministic Cixi demo dataset: demo --out DIR", runDemo},
		{"migrate", "apply the database migrations (up, down, status)", runMigrate},
		{"import", "load a dataset into PostGIS in one transaction: import DIR, or import --mapping FILE (GPKG/SHP/GDB/xlsx)", runImport},
		{"monitor", "load a yearly park monitoring directory (parks.csv, firms.csv): monitor DIR", runMonitor},
		{"evaluate", "evaluate parks from the monitoring record: evaluate --year Y [--exit] [--json] [--xlsx FILE] [--png FILE] [--save]", runEvaluate},
		{"export", "write the dataset back out: export --out DIR; a plan: export --scenario ID --format gpkg|shp --out FILE", runExport},
		{"summary", "print the loaded dataset's summary", runSummary},
		{"model", "write a scenario's exact model as MPS: model --scenario FILE --out model.mps", runModel},
		{"solve", "solve a scenario and save its plan: solve --scenario FILE --out DIR", runSolve},
		{"explain", "why each parcel is or is not a park: explain --scenario FILE [--out FILE.json]", runExplain},
		{"frontier", "plans between two objectives: frontier --scenario FILE --x firms --y new_land_mu --points 7 [--out FILE.csv]", runFrontier},
		{"report", "the plan report to file (A4, Chinese): report --scenario ID [--pdf FILE] [--html FILE]", runReport},
		{"province", "a provincial plan over many counties sharing a new-land pool: province solve --scenario FILE (--counties-from-demo N | --db URL [--jobs]) [--json]; --jobs: county solves on workers", runProvince},
		{"check", "check a scenario or proposed parcels against quotas and protected land", runCheck},
		{"serve", "serve the API, OGC API – Features and the map: serve --addr HOST:PORT", runServe},
		{"worker", "work the job queue (scenario runs, checks that solve, province county tasks): worker --db URL [--concurrency N]", runWorker},
		{"token", "manage API tokens: token create --role planner|reviewer|public", runToken},
	}
}

// exitCoder is an error that carries its own exit code (e.g. check: 1 violations, 2 bad input).
type exitCoder interface{ ExitCode() int }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		if err == nil {
			return 0
		}
		var ec exitCoder
		if errors.As(err, &ec) {
			if msg := err.Error(); msg != "" {
				fmt.Fprintln(stderr, "parkplan "+c.name+":", msg)
			}
			return ec.ExitCode()
		}
		fmt.Fprintln(stderr, "parkplan "+c.name+":", err)
		if planner.ErrorCode(err) == planner.EINVALID {
			return 2
		}
		return 1
	}
	fmt.Fprintf(stderr, "parkplan: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: parkplan <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
