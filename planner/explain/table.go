package explain

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes rep (or any result of this package) as indented JSON;
// the same value gives the same bytes.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteTable prints rep as a short table: one line per parcel with its
// verdict, main reason and the reason's figures.
func WriteTable(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "%s: %s, objective %s, bound %s, gap %.4f %%; %d re-solves\n",
		rep.Scenario, rep.Status, num(rep.Objective), num(rep.Bound), 100*rep.Gap, rep.Solves)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parcel\ttown\tkind\tmu\tverdict\treason\twhy")
	for _, p := range rep.Parcels {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%s\t%s\t%s\n", p.ParcelID, p.Town, p.Kind, p.AreaMu, p.Verdict, p.Reason, p.Detail)
	}
	return tw.Flush()
}

// WriteFrontierTable prints a frontier as a table, one line per point.
func WriteFrontierTable(w io.Writer, res *FrontierResult) error {
	complete := "budget of points reached"
	switch {
	case res.Complete:
		complete = "complete: the bounds prove no supported point missing"
	case res.Unproven > 0:
		complete = fmt.Sprintf("%d segment(s) closed without proof (solve gaps too wide)", res.Unproven)
	}
	fmt.Fprintf(w, "%s: frontier %s (%s) against %s (%s), weighted sums, %d solves, %s\n",
		res.Scenario, res.X, res.X.Unit(), res.Y, res.Y.Unit(), res.Solves, complete)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "point\t%s\t%s\tweight %s\tweight %s\tgap %%\tparks\tfirms\tnew land mu\tscenario objective\t\n", res.X, res.Y, res.X, res.Y)
	for i, p := range res.Points {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.4g\t%.4g\t%.4f\t%d\t%d\t%.1f\t%s\t\n", i+1, num(p.X), num(p.Y), p.WeightX, p.WeightY, 100*p.Gap,
			p.KPI.ParksTotal, p.KPI.FirmsPlaced, p.KPI.NewLandMu, num(p.ScenarioObjective))
	}
	return tw.Flush()
}

// frontierCSVHeader names WriteFrontierCSV's columns; x and y are
// prefixed to the two objectives' names.
var frontierCSVHeader = []string{"point", "x", "y", "weight_x", "weight_y", "status", "objective", "bound", "gap",
	"scenario_objective", "firms", "floor_m2", "output", "new_land_mu", "distance_km", "cost",
	"parks_total", "parks_by_target_year", "new_land_parks", "towns_covered", "parks"}

// WriteFrontierCSV writes a frontier as CSV with a header line; figures
// have fixed decimals, so the same result gives the same bytes. The parks
// column lists the parcel ids of the parks that are not locked, joined by ';'.
func WriteFrontierCSV(w io.Writer, res *FrontierResult) error {
	cw := csv.NewWriter(w)
	head := append([]string(nil), frontierCSVHeader...)
	head[1], head[2] = "x_"+string(res.X), "y_"+string(res.Y)
	if err := cw.Write(head); err != nil {
		return err
	}
	f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	for i, p := range res.Points {
		t := p.Terms
		rec := []string{strconv.Itoa(i + 1), f(p.X, 4), f(p.Y, 4), strconv.FormatFloat(p.WeightX, 'g', 10, 64), strconv.FormatFloat(p.WeightY, 'g', 10, 64),
			string(p.Status), f(p.Objective, 6), f(p.Bound, 6), f(p.Gap, 8), f(p.ScenarioObjective, 6),
			f(t.Firms, 0), f(t.FloorM2, 2), f(t.Output, 4), f(t.NewLandMu, 4), f(t.DistanceKm, 4), f(t.Cost, 4),
			strconv.Itoa(p.KPI.ParksTotal), strconv.Itoa(p.KPI.ParksByTarget), strconv.Itoa(p.KPI.NewLandParks), strconv.Itoa(p.KPI.TownsCovered),
			strings.Join(p.Parks, ";")}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
