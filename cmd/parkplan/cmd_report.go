package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/planreport"
)

// defaultPrintTimeout bounds Chromium's print of one report.
const defaultPrintTimeout = 2 * time.Minute

// runReport implements `parkplan report --scenario ID [--pdf FILE]
// [--html FILE] [--chromium PATH] [--db URL]`: the plan report of a saved
// scenario (docs/report.md) as HTML (stdout when neither file is given)
// and as PDF printed by headless Chromium.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "usage: parkplan report --scenario ID [--pdf FILE] [--html FILE] [--chromium PATH] [--db URL]", stderr)
	dbURL := dbFlag(fs)
	id := fs.String("scenario", "", "saved scenario id (as in GET /scenarios)")
	pdfPath := fs.String("pdf", "", "write the report as PDF (A4) to FILE, printed by headless Chromium")
	htmlPath := fs.String("html", "", "write the report as HTML to FILE")
	chromium := fs.String("chromium", "", "Chromium to print with (default: chromium, chromium-browser or google-chrome on PATH)")
	timeout := fs.Duration("print-timeout", defaultPrintTimeout, "how long Chromium may take to print")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // usage printed
	} else if err != nil {
		return planner.FieldErrorf("report", "%v", err)
	}
	if fs.NArg() > 0 {
		return planner.FieldErrorf("report", "unexpected argument %q", fs.Arg(0))
	}
	if *id == "" {
		return planner.FieldErrorf("--scenario", "is required: the id of a saved scenario (parkplan solve saves one; GET /scenarios lists them)")
	}
	// Find Chromium before any database work: a missing browser is the
	// likeliest fault and says what to install.
	browser := ""
	if *pdfPath != "" {
		var err error
		if browser, err = planreport.FindChromium(*chromium); err != nil {
			return planner.FieldErrorf("--pdf", "%v", err)
		}
	}
	db, err := openMigrated(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := newReportBuilder(db).Report(ctx, *id)
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := planreport.WriteHTML(&page, r); err != nil {
		return err
	}
	if r.Stale {
		fmt.Fprintf(stderr, "parkplan report: scenario %s: the plan is %s\n", *id, planner.StaleNotice(r.PlanRevision, r.DataRevision))
	}
	if *htmlPath != "" {
		if err := os.WriteFile(*htmlPath, page.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if *pdfPath != "" {
		pctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		if err := planreport.PrintPDF(pctx, browser, page.Bytes(), *pdfPath); err != nil {
			return err
		}
	}
	if *htmlPath == "" && *pdfPath == "" {
		_, err = stdout.Write(page.Bytes())
	}
	return err
}

// newReportBuilder makes plan reports from db's dataset and saved
// scenarios: the one wiring of `parkplan report` and GET /scenarios/{id}/report.
func newReportBuilder(db *data.DB) *planreport.Builder {
	return &planreport.Builder{Datasets: db, Scenarios: data.NewScenarioStore(db.SQL())}
}
