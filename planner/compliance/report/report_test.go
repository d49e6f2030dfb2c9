package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
	"gonum.org/v1/plot/text"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixtureReport: two towns, zhouxiang over quota in 2020 by 10 mu (P2), P1
// on 1.5 mu of farmland, P4 with a 0.004 mu red-line sliver.
func fixtureReport() *compliance.Report {
	ds := &planner.Dataset{
		Towns: []planner.Town{
			{Code: "zhangqi", NameZh: "掌起镇", NameEn: "Zhangqi Zhen"},
			{Code: "zhouxiang", NameZh: "周巷镇", NameEn: "Zhouxiang Zhen"},
		},
		Quotas: []planner.Quota{
			{Town: "zhangqi", Year: 2020, NewLandMu: 30},
			{Town: "zhouxiang", Year: 2019, NewLandMu: 40},
			{Town: "zhouxiang", Year: 2020, NewLandMu: 60},
		},
	}
	plan := &planner.Plan{Parks: []planner.Park{
		{ParcelID: "P1", Town: "zhouxiang", Kind: planner.KindNewLand, OpenYear: 2019, AreaMu: 35},
		{ParcelID: "P2", Town: "zhouxiang", Kind: planner.KindNewLand, OpenYear: 2020, AreaMu: 70},
		{ParcelID: "P3", Town: "zhouxiang", Kind: planner.KindOldFactory, OpenYear: 2020, AreaMu: 50},
		{ParcelID: "P4", Town: "zhangqi", Kind: planner.KindNewLand, OpenYear: 2020, AreaMu: 25},
	}}
	sc := &planner.Scenario{FirstYear: 2019, LastYear: 2020}
	led := compliance.BuildLedger(plan, ds, sc)
	sq := orb.MultiPolygon{{{{121.2, 30.2}, {121.201, 30.2}, {121.201, 30.201}, {121.2, 30.201}, {121.2, 30.2}}}}
	checks := []compliance.ParcelCheck{
		{ParcelID: "P1", Town: "zhouxiang", Kind: planner.KindNewLand, OpenYear: 2019, AreaMu: 35, Valid: true, FarmlandMu: 1.5, Farmland: sq},
		{ParcelID: "P2", Town: "zhouxiang", Kind: planner.KindNewLand, OpenYear: 2020, AreaMu: 70, Valid: true},
		{ParcelID: "P3", Town: "zhouxiang", Kind: planner.KindOldFactory, OpenYear: 2020, AreaMu: 50, Valid: true},
		{ParcelID: "P4", Town: "zhangqi", Kind: planner.KindNewLand, OpenYear: 2020, AreaMu: 25, Valid: true, RedlineMu: 0.004, Redline: sq},
	}
	r := compliance.Assemble("fixture", led, checks, compliance.DefaultToleranceMu)
	r.Scenario = "fixture"
	return r
}

func TestJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("JSON report differs from %s (run go test -update to accept):\n%s", golden, buf.String())
	}
}

func TestXLSXReadBack(t *testing.T) {
	r := fixtureReport()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 4 || got[1] != SheetLedger || got[2] != SheetViolations {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows(SheetLedger)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(r.Ledger.Rows) {
		t.Fatalf("ledger sheet: %d rows, want %d", len(rows), 1+len(r.Ledger.Rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, l := range r.Ledger.Rows {
		row := rows[i+1]
		t.Run(l.Town+"/"+strconv.Itoa(l.Year), func(t *testing.T) {
			if row[col["name_zh"]] != l.NameZh || row[col["town"]] != l.Town {
				t.Errorf("names %q %q, want %q %q", row[col["town"]], row[col["name_zh"]], l.Town, l.NameZh)
			}
			for _, c := range []struct {
				name string
				want float64
			}{{"quota_mu", l.QuotaMu}, {"new_land_used_mu", l.NewLandUsedMu}, {"old_factory_mu", l.OldFactoryMu},
				{"remaining_mu", l.RemainingMu}, {"over_mu", l.OverMu}} {
				got, err := strconv.ParseFloat(row[col[c.name]], 64)
				if err != nil || got != c.want {
					t.Errorf("%s: %q, want %v", c.name, row[col[c.name]], c.want)
				}
			}
			// Numbers are numeric cells, not text.
			cell, _ := excelize.CoordinatesToCellName(col["quota_mu"]+1, i+2)
			if typ, _ := f.GetCellType(SheetLedger, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s is a string cell", cell)
			}
		})
	}
	vrows, err := f.GetRows(SheetViolations)
	if err != nil {
		t.Fatal(err)
	}
	// over_quota (zhouxiang 2020), farmland (P1); one sliver (P4).
	if len(vrows) != 1+len(r.Violations)+len(r.Slivers) || len(r.Violations) != 2 || len(r.Slivers) != 1 {
		t.Fatalf("violations sheet: %d rows; report %d violations %d slivers", len(vrows), len(r.Violations), len(r.Slivers))
	}
	if vrows[1][0] != "over_quota" || vrows[1][3] != "P2" || vrows[1][5] != "周巷镇" || vrows[1][7] != "10" {
		t.Errorf("first violation row %q", vrows[1])
	}
}

func TestCSV(t *testing.T) {
	r := fixtureReport()
	var buf bytes.Buffer
	if err := WriteLedgerCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(r.Ledger.Rows) || recs[4][1] != "周巷镇" || recs[4][8] != "70" || recs[4][12] != "true" {
		t.Errorf("ledger csv %q", recs)
	}
	buf.Reset()
	if err := WriteViolationsCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if last := recs[len(recs)-1]; last[1] != "true" || last[2] != "P4" || last[7] != "0.004" {
		t.Errorf("sliver row %q", last)
	}
}

// TestGeoJSON: violations.geojson is the check layer of planner/layers:
// ids "{check}-{seq}" for a saved check (the OGC API's), the bare seq for
// one not saved, with check_id and created_at null then.
func TestGeoJSON(t *testing.T) {
	saved := fixtureReport()
	saved.SavedID, saved.SavedAt = 7, time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name             string
		r                *compliance.Report
		ids              [2]string
		checkID, savedAt any
	}{
		{"not saved", fixtureReport(), [2]string{"1", "2"}, nil, nil},
		{"saved", saved, [2]string{"7-1", "7-2"}, 7.0, "2026-12-03T08:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteGeoJSON(&buf, tc.r); err != nil {
				t.Fatal(err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if len(fc.Features) != 2 {
				t.Fatalf("%d features, want 2", len(fc.Features))
			}
			var raw struct {
				Features []struct {
					ID         string          `json:"id"`
					Geometry   json.RawMessage `json:"geometry"`
					Properties map[string]any  `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
				t.Fatal(err)
			}
			q := raw.Features[0]
			if string(q.Geometry) != "null" || q.ID != tc.ids[0] || q.Properties["kind"] != "over_quota" || q.Properties["town"] != "zhouxiang" {
				t.Errorf("quota feature: id %s geometry %s properties %v", q.ID, q.Geometry, q.Properties)
			}
			if q.Properties["check_id"] != tc.checkID || q.Properties["created_at"] != tc.savedAt || q.Properties["parcel_id"] != nil {
				t.Errorf("quota feature: check_id %v created_at %v parcel_id %v", q.Properties["check_id"], q.Properties["created_at"], q.Properties["parcel_id"])
			}
			if raw.Features[1].ID != tc.ids[1] {
				t.Errorf("farmland feature id %s, want %s", raw.Features[1].ID, tc.ids[1])
			}
			if f := fc.Features[1]; f.Properties["kind"] != "basic_farmland" || f.Geometry.GeoJSONType() != "MultiPolygon" {
				t.Errorf("farmland feature %+v", f)
			}
		})
	}
}

func TestPNG(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePNG(&buf, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 500 {
		t.Errorf("chart %v: too small for a page", b)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"json", "GeoJSON", "csv", "xlsx", "png", ""} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := ParseFormat("pdf"); err == nil {
		t.Error("pdf accepted")
	}
}

// TestPNGChinese draws the chart with the installed CJK font (Debian
// fonts-noto-cjk, which scripts/deps.sh installs) and checks that the
// Chinese labels change the picture.
func TestPNGChinese(t *testing.T) {
	f, path, err := FindCJKFont()
	if err != nil {
		t.Fatal(err)
	}
	if f == nil {
		t.Fatalf("no CJK font in %v: install fonts-noto-cjk (scripts/deps.sh)", CJKFontPaths)
	}
	var zh, en bytes.Buffer
	if err := (ChartOptions{CJK: f}).WritePNG(&zh, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	if err := WritePNG(&en, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(zh.Bytes())); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(zh.Bytes(), en.Bytes()) {
		t.Errorf("chart with %s is the same as the English one", path)
	}
	// The tick labels must really draw with the CJK face (a typeface or
	// variant mismatch silently falls back to Liberation, without glyphs).
	p, err := (ChartOptions{CJK: f}).Chart(fixtureReport())
	if err != nil {
		t.Fatal(err)
	}
	st := p.X.Tick.Label
	h, ok := st.Handler.(text.Plain)
	if !ok || h.Fonts.Lookup(st.Font, st.Font.Size).Face != f {
		t.Errorf("tick labels are not drawn with the CJK font (%+v)", st.Font)
	}
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "quota-zh.png"), zh.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
