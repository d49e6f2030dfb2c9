package explain_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/explain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func f64(v float64) *float64 { return &v }

// goldenReport is a fixed report (no solver): the printers' output for it
// is pinned in testdata/.
func goldenReport() *explain.Report {
	return &explain.Report{
		Scenario: "hand", ScenarioHash: "e6c0022c", Status: planner.StatusOptimal, Objective: 60.82, Bound: 60.82,
		Counts: map[explain.Reason]int{explain.ReasonOptimal: 1, explain.ReasonQuota: 1}, Solves: 1,
		Parcels: []explain.ParcelWhy{
			{ParcelID: "G-new", Town: "guanhaiwei", Kind: planner.KindNewLand, AreaMu: 45, Verdict: explain.Chosen, Reason: explain.ReasonOptimal,
				Detail: "chosen: opens 2020 with specialty appliance",
				Park:   &explain.Contribution{OpenYear: 2020, Specialty: "appliance", Tier: planner.TierBasic, CapacityM2: 48000, Objective: -4.75, ObjectiveShare: -0.078}},
			{ParcelID: "G-small", Town: "guanhaiwei", Kind: planner.KindNewLand, AreaMu: 10, Verdict: explain.NotChosen, Reason: explain.ReasonQuota,
				Detail: "needs 10.0 mu of new-land quota",
				Blocks: []explain.Block{{Rule: explain.ReasonQuota, Detail: "needs 10.0 mu of new-land quota", Need: 10,
					Years: []explain.YearRoom{{Year: 2020, Limit: 50, Used: 45, Room: 5}}}},
				Force: &explain.Forced{Direction: "in", Status: explain.ForceSolved, Objective: 59.07, Bound: f64(59.07),
					LossAtLeast: f64(1.75), LossAtMost: f64(1.75), PlanDifference: f64(1.75), Exact: true,
					Opened: []string{"G-small"}, Closed: []string{"G-new"}, Nodes: 12}},
		},
	}
}

func goldenFrontier() *explain.FrontierResult {
	pt := func(x, y, wx, wy float64, parks ...string) explain.FrontierPoint {
		return explain.FrontierPoint{X: x, Y: y, WeightX: wx, WeightY: wy, Status: planner.StatusOptimal, Objective: wx*x - wy*y, Bound: wx*x - wy*y,
			Terms: explain.Terms{Firms: x, NewLandMu: y}, KPI: planner.KPIs{FirmsPlaced: int(x), NewLandMu: y, ParksTotal: 1 + len(parks)}, Parks: parks}
	}
	return &explain.FrontierResult{Scenario: "frontier-town", X: explain.Firms, Y: explain.NewLandMu, Method: "weighted_sum", Complete: true, Solves: 5,
		Points: []explain.FrontierPoint{pt(5, 0, 0.25, 166.67), pt(15, 10, 200, 100, "A"), pt(40, 60, 250, 0.1667, "A", "B", "C")}}
}

// TestPrintersGolden pins the JSON, table and CSV formats.
func TestPrintersGolden(t *testing.T) {
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.json", func(b *bytes.Buffer) error { return explain.WriteJSON(b, goldenReport()) }},
		{"report.txt", func(b *bytes.Buffer) error { return explain.WriteTable(b, goldenReport()) }},
		{"frontier.csv", func(b *bytes.Buffer) error { return explain.WriteFrontierCSV(b, goldenFrontier()) }},
		{"frontier.txt", func(b *bytes.Buffer) error { return explain.WriteFrontierTable(b, goldenFrontier()) }},
		{"frontier.json", func(b *bytes.Buffer) error { return explain.WriteJSON(b, goldenFrontier()) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tc.write(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from %s:\n%s", tc.name, path, got.String())
			}
		})
	}
}
