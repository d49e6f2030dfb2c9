package compliance

import (
	"math"
	"reflect"
	"testing"

	"github.com/parkplan/parkplan/planner"
)

// fixtureDataset is two towns with quotas for 2019–2020:
//
//	zhouxiang 周巷镇: 2019 40 mu, 2020 60 mu
//	zhangqi   掌起镇: 2019 0 mu,  2020 30 mu
func fixtureDataset() *planner.Dataset {
	return &planner.Dataset{
		Towns: []planner.Town{
			{Code: "zhangqi", NameZh: "掌起镇", NameEn: "Zhangqi Zhen"},
			{Code: "zhouxiang", NameZh: "周巷镇", NameEn: "Zhouxiang Zhen"},
		},
		Quotas: []planner.Quota{
			{Town: "zhangqi", Year: 2019, NewLandMu: 0},
			{Town: "zhangqi", Year: 2020, NewLandMu: 30},
			{Town: "zhouxiang", Year: 2019, NewLandMu: 40},
			{Town: "zhouxiang", Year: 2020, NewLandMu: 60},
		},
		Parcels: []planner.Parcel{
			{ID: "P1", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: 35},
			{ID: "P2", Town: "zhouxiang", Kind: planner.KindNewLand, AreaMu: 70},
			{ID: "P3", Town: "zhouxiang", Kind: planner.KindOldFactory, AreaMu: 50},
			{ID: "P4", Town: "zhangqi", Kind: planner.KindNewLand, AreaMu: 25},
			{ID: "P5", Town: "zhangqi", Kind: planner.KindExisting, AreaMu: 105},
		},
	}
}

func park(id, town string, kind planner.ParcelKind, year int, mu float64) planner.Park {
	return planner.Park{ParcelID: id, Town: town, Kind: kind, OpenYear: year, AreaMu: mu}
}

func TestBuildLedger(t *testing.T) {
	ds := fixtureDataset()
	plan := &planner.Plan{Parks: []planner.Park{
		park("P1", "zhouxiang", planner.KindNewLand, 2019, 35),
		park("P2", "zhouxiang", planner.KindNewLand, 2020, 70),
		park("P3", "zhouxiang", planner.KindOldFactory, 2020, 50),
		park("P4", "zhangqi", planner.KindNewLand, 2020, 25),
		park("P5", "zhangqi", planner.KindExisting, 2015, 105),
	}}
	type want struct {
		town                                string
		year                                int
		quota, carriedIn, used, old, remain float64
		over                                bool
		overMu, beyond                      float64
		parks                               []string
	}
	tests := []struct {
		name string
		sc   planner.Scenario
		rows []want
	}{
		{"no carry-over: zhouxiang 2020 over by 10 mu", planner.Scenario{FirstYear: 2019, LastYear: 2020}, []want{
			{"zhangqi", 2019, 0, 0, 0, 0, 0, false, 0, 0, []string{}},
			{"zhangqi", 2020, 30, 0, 25, 0, 5, false, 0, 0, []string{"P4"}},
			{"zhouxiang", 2019, 40, 0, 35, 0, 5, false, 0, 0, []string{"P1"}},
			{"zhouxiang", 2020, 60, 0, 70, 50, -10, true, 10, 10, []string{"P2"}},
		}},
		{"carry-over: 2019's 5 mu pass on, still over by 5", planner.Scenario{FirstYear: 2019, LastYear: 2020, QuotaCarryOver: true}, []want{
			{"zhangqi", 2019, 0, 0, 0, 0, 0, false, 0, 0, []string{}},
			{"zhangqi", 2020, 30, 0, 25, 0, 5, false, 0, 0, []string{"P4"}},
			{"zhouxiang", 2019, 40, 0, 35, 0, 5, false, 0, 0, []string{"P1"}},
			{"zhouxiang", 2020, 60, 5, 70, 50, -5, true, 5, 5, []string{"P2"}},
		}},
		{"extra 10 mu: within the scenario quota, beyond the official one", planner.Scenario{FirstYear: 2019, LastYear: 2020,
			QuotaExtra: map[string]float64{"zhouxiang/2020": 10}}, []want{
			{"zhangqi", 2019, 0, 0, 0, 0, 0, false, 0, 0, []string{}},
			{"zhangqi", 2020, 30, 0, 25, 0, 5, false, 0, 0, []string{"P4"}},
			{"zhouxiang", 2019, 40, 0, 35, 0, 5, false, 0, 0, []string{"P1"}},
			{"zhouxiang", 2020, 70, 0, 70, 50, 0, false, 0, 10, []string{"P2"}},
		}},
		{"scale 1.5", planner.Scenario{FirstYear: 2019, LastYear: 2020, QuotaScale: 1.5}, []want{
			{"zhangqi", 2019, 0, 0, 0, 0, 0, false, 0, 0, []string{}},
			{"zhangqi", 2020, 45, 0, 25, 0, 20, false, 0, 0, []string{"P4"}},
			{"zhouxiang", 2019, 60, 0, 35, 0, 25, false, 0, 0, []string{"P1"}},
			{"zhouxiang", 2020, 90, 0, 70, 50, 20, false, 0, 10, []string{"P2"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			led := BuildLedger(plan, ds, &tc.sc)
			if len(led.Rows) != len(tc.rows) {
				t.Fatalf("got %d rows, want %d", len(led.Rows), len(tc.rows))
			}
			for i, w := range tc.rows {
				r := led.Rows[i]
				got := want{r.Town, r.Year, r.QuotaMu, r.CarriedInMu, r.NewLandUsedMu, r.OldFactoryMu, r.RemainingMu, r.Over, r.OverMu, r.BeyondOfficialMu, r.NewLandParks}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("row %d:\n got  %+v\n want %+v", i, got, w)
				}
			}
			if led.Totals.NewLandUsedMu != 130 || led.Totals.OldFactoryMu != 50 {
				t.Errorf("totals %+v: want new land 130, old factory 50", led.Totals)
			}
			if led.Rows[3].NameZh != "周巷镇" {
				t.Errorf("name_zh %q", led.Rows[3].NameZh)
			}
		})
	}
}

func TestLedgerNotes(t *testing.T) {
	ds := fixtureDataset()
	led := LedgerOf([]ParkLand{
		{ParcelID: "X1", Town: "nowhere", Kind: planner.KindNewLand, OpenYear: 2019, AreaMu: 5},
		{ParcelID: "X2", Town: "zhangqi", Kind: planner.KindNewLand, AreaMu: 5},
		{ParcelID: "X3", Town: "zhangqi", Kind: planner.KindNewLand, OpenYear: 2023, AreaMu: 7},
	}, ds, &planner.Scenario{FirstYear: 2019, LastYear: 2020})
	if len(led.Notes) != 2 {
		t.Fatalf("notes %q: want 2 (unknown town, no year)", led.Notes)
	}
	if !reflect.DeepEqual(led.Years, []int{2019, 2020, 2023}) {
		t.Errorf("years %v: want 2023 added for X3", led.Years)
	}
	var r2023 *LedgerRow
	for i := range led.Rows {
		if led.Rows[i].Town == "zhangqi" && led.Rows[i].Year == 2023 {
			r2023 = &led.Rows[i]
		}
	}
	if r2023 == nil || !r2023.Over || r2023.OverMu != 7 {
		t.Errorf("zhangqi 2023: %+v, want over by 7 mu (no quota that year)", r2023)
	}
}

func TestCompareWithPlan(t *testing.T) {
	ds := fixtureDataset()
	sc := &planner.Scenario{FirstYear: 2019, LastYear: 2020}
	plan := &planner.Plan{
		Parks: []planner.Park{park("P1", "zhouxiang", planner.KindNewLand, 2019, 35)},
		Towns: []planner.TownSummary{
			{Town: "zhangqi", QuotaMu: map[int]float64{2019: 0, 2020: 30}},
			{Town: "zhouxiang", QuotaMu: map[int]float64{2019: 40, 2020: 60}, NewLandUsedMu: map[int]float64{2019: 35}},
		},
	}
	if d := CompareWithPlan(BuildLedger(plan, ds, sc), plan); len(d) != 0 {
		t.Errorf("agreeing plan: diffs %q", d)
	}
	plan.Towns[1].NewLandUsedMu[2019] = 36
	if d := CompareWithPlan(BuildLedger(plan, ds, sc), plan); len(d) != 1 {
		t.Errorf("plan says 36 mu, parks 35: diffs %q, want 1", d)
	}
}

func TestScenarioQuotaMu(t *testing.T) {
	sc := &planner.Scenario{QuotaScale: 0.5, QuotaExtra: map[string]float64{"a/2020": 3}}
	if got := ScenarioQuotaMu(sc, "a", 2020, 10); math.Abs(got-8) > 1e-12 {
		t.Errorf("got %v want 8", got)
	}
	if got := ScenarioQuotaMu(&planner.Scenario{}, "a", 2020, 10); got != 10 {
		t.Errorf("zero scale: got %v want 10", got)
	}
}
