package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner/evaluate"
)

// TestEvaluateCLI drives the monitoring and evaluation commands as a user
// would: demo (with its two synthetic monitoring years), import, evaluate
// as a table, JSON and an XLSX workbook (read back with GDAL), a refused
// monitoring file, evaluate --save, and the yearly OGC collection served
// by `parkplan serve` and read by GDAL's OAPIF driver.
func TestEvaluateCLI(t *testing.T) {
	dbURL := postgisTestDB(t, "evaluate")
	dir := t.TempDir()
	if code, _, errOut := runCLI("demo", "--out", dir); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	code, out, errOut := runCLI("import", dir, "--db", dbURL)
	if code != 0 || !strings.Contains(out, "imported monitoring") || !strings.Contains(out, "years [2020 2021]") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}

	code, out, errOut = runCLI("evaluate", "--year", "2021", "--db", dbURL)
	if code != 0 {
		t.Fatalf("evaluate: %d %s", code, errOut)
	}
	for _, want := range []string{"not an official standard", "baishalu-E01", "ruleSpecialtyShare baishalu-E01: specialty textile and related",
		"ruleTierFacilities baishalu-E01: complex tier (320 mu) lacks canteen"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	code, out, errOut = runCLI("evaluate", "--year", "2021", "--json", "--db", dbURL)
	var rep evaluate.Report
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("evaluate --json: %d %s\n%s", code, errOut, out)
	}
	if len(rep.Parks) != 15 {
		t.Errorf("%d parks, want the demo's 15 built parks", len(rep.Parks))
	}
	for _, p := range rep.Parks {
		if p.ParkID == "baishalu-E01" && (p.Trend != "down" || len(p.History) != 2 || p.Rating != "fail") {
			t.Errorf("sliding park: trend %s history %v rating %s", p.Trend, p.History, p.Rating)
		}
	}

	xlsx := filepath.Join(t.TempDir(), "evaluation.xlsx")
	if code, _, errOut = runCLI("evaluate", "--year", "2021", "--xlsx", xlsx, "--db", dbURL); code != 0 {
		t.Fatalf("evaluate --xlsx: %d %s", code, errOut)
	}
	info, err := exec.Command("ogrinfo", "-ro", xlsx, "parks", "-where", "park_id = 'baishalu-E01'").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	for _, want := range []string{"rating (String) = fail", "trend (String) = down", "rules_broken (String) = ruleSpecialtyShare ruleSpecialtyShare ruleTierFacilities"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("workbook lacks %q:\n%s", want, info)
		}
	}

	// The exit list under 亩均效益 admission, with each breaking park's refill.
	code, out, errOut = runCLI("evaluate", "--year", "2021", "--exit", "--scenario", "../../scenarios/mu-admission.yaml", "--xlsx", xlsx, "--db", dbURL)
	if code != 0 || !strings.Contains(out, "exit list 2021: ") || !strings.Contains(out, "park baishalu-E01 (textile)") ||
		!strings.Contains(out, "refill (restores every share rule, optimal)") {
		t.Errorf("evaluate --exit: %d %s\n%s", code, errOut, out)
	}
	info, err = exec.Command("ogrinfo", "-ro", "-so", xlsx, "refill").CombinedOutput()
	if err != nil || !strings.Contains(string(info), "Feature Count:") {
		t.Errorf("workbook refill sheet: %v\n%s", err, info)
	}

	code, _, errOut = runCLI("evaluate", "--year", "2019", "--db", dbURL)
	if code != 2 || !strings.Contains(errOut, "no monitoring record for 2019") {
		t.Errorf("a year without a record: exit %d, %s", code, errOut)
	}

	// A firm in two parks: refused with file, line and field; nothing written.
	bad := t.TempDir()
	parks, _ := os.ReadFile(filepath.Join(dir, "monitoring", "parks.csv"))
	firms, _ := os.ReadFile(filepath.Join(dir, "monitoring", "firms.csv"))
	lines := strings.Split(strings.TrimSpace(string(firms)), "\n")
	dup := strings.Replace(lines[1], "baishalu-E01", "changhe-E01", 1)
	os.WriteFile(filepath.Join(bad, "parks.csv"), parks, 0o644)
	os.WriteFile(filepath.Join(bad, "firms.csv"), []byte(string(firms)+dup+"\n"), 0o644)
	code, _, errOut = runCLI("monitor", bad, "--db", dbURL)
	if code != 2 || !strings.Contains(errOut, "monitoring/firms.csv: line") || !strings.Contains(errOut, "firm_id: firm 91330282SYN0000001 is in two parks in 2020") {
		t.Errorf("bad monitoring: exit %d, %s", code, errOut)
	}

	code, out, errOut = runCLI("evaluate", "--save", "--exit", "--db", dbURL)
	if code != 0 || !strings.Contains(out, "saved evaluation 2021: 15 parks, 1 breaking a rule (collection year-2021.evaluation)") ||
		!strings.Contains(out, "saved exit list 2021: 0 firms leaving, 1 parks at risk (collection year-2021.exit)") {
		t.Fatalf("evaluate --save --exit: %d\n%s%s", code, out, errOut)
	}

	env := startOGCServe(t, dbURL)
	r := env.get(t, "/collections/year-2021.evaluation/items?limit=100")
	var fc struct {
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &fc) != nil || len(fc.Features) != 15 {
		t.Fatalf("items: %d %s", r.status, r.body)
	}
	for _, f := range fc.Features {
		if f.ID != "baishalu-E01" {
			continue
		}
		rules, _ := f.Properties["rules_broken"].([]any)
		if f.Properties["rating"] != "fail" || len(rules) != 3 || rules[0] != "ruleSpecialtyShare" {
			t.Errorf("sliding park's feature: %v", f.Properties)
		}
	}
	var exit struct {
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	r = env.get(t, "/collections/year-2021.exit/items")
	if r.status != 200 || json.Unmarshal(r.body, &exit) != nil || len(exit.Features) != 1 || exit.Features[0].ID != "baishalu-E01" {
		t.Fatalf("exit items: %d %s", r.status, r.body)
	}
	if p := exit.Features[0].Properties; p["refill_restores"] != true || p["refill_status"] != "optimal" {
		t.Errorf("exit feature: %v", p)
	} else if firms, _ := p["refill_firms"].([]any); len(firms) == 0 {
		t.Errorf("exit feature without refill firms: %v", p)
	}
	if r := env.get(t, "/collections/year-2019.evaluation"); r.status != 404 {
		t.Errorf("a year never saved: %d %s", r.status, r.body)
	}
	src := "OAPIF:" + env.url + "/"
	list, err := exec.Command("ogrinfo", "-ro", "-q", src).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "year-2020.evaluation") || !strings.Contains(string(list), "year-2021.evaluation") {
		t.Errorf("ogrinfo OAPIF: %v\n%s", err, list)
	}
	gpkg := filepath.Join(t.TempDir(), "evaluation.gpkg")
	if out, err := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, src, "year-2021.evaluation").CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	info, err = exec.Command("ogrinfo", "-ro", "-so", gpkg, "year-2021.evaluation").CombinedOutput()
	if err != nil || !strings.Contains(string(info), "Feature Count: 15") {
		t.Errorf("GeoPackage copy: %v\n%s", err, info)
	}
}
