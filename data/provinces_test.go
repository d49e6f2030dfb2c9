package data_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// provinceRecord is a two-county record of a demo province (c01, c02)
// over years, solved when solved is set.
func provinceRecord(id string, years []int, solved bool) *planner.ProvinceRecord {
	rec := &planner.ProvinceRecord{ID: id, DatasetRevision: 1, CreatedBy: "tester",
		Scenario: planner.ProvinceScenario{Name: id, County: planner.Defaults(),
			Shares: []planner.CountyShare{{County: "c01", FloorMu: 10, CapMu: 400}}}}
	for _, y := range years {
		rec.Scenario.Pool = append(rec.Scenario.Pool, planner.PoolYear{Year: y, NewLandMu: 500})
	}
	if !solved {
		return rec
	}
	r := &planner.ProvinceResult{Scenario: id, Objective: 120.5, Bound: 123, Gap: 0.02, Iterations: 3}
	for i, c := range []string{"c01", "c02"} {
		for _, y := range years {
			r.Allocation = append(r.Allocation, planner.CountyAllocation{County: c, Year: y, RequestMu: 240,
				AllocatedMu: 200 + 100*float64(i), UsedMu: 180 + 90*float64(i), MarginalValue: 0.5 - 0.25*float64(i), ReleaseValue: 0.1})
		}
		r.Counties = append(r.Counties, planner.CountyOutcome{County: c, ScenarioID: id + "-" + c, Objective: 60, Bound: 61.5, Parks: 12, FirmsHoused: 800})
	}
	for _, y := range years {
		r.Prices = append(r.Prices, planner.PoolPrice{Year: y, Price: 0.3})
	}
	rec.Result = r
	return rec
}

// testProvinceStore: records round-trip whole; the allocation rows join
// the counties in SQL; saving again replaces record and rows; a save that
// fails (in Go or in the database) writes nothing; unknown ids are
// ENOTFOUND.
func testProvinceStore(t *testing.T, db *data.DB) {
	ctx := context.Background()
	st := data.NewProvinceStore(db.SQL())
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM province`); err != nil {
		t.Fatal(err)
	}
	draft := provinceRecord("draft", []int{2020}, false)
	if err := st.SaveProvince(ctx, draft); err != nil {
		t.Fatal(err)
	}
	if draft.CreatedAt.IsZero() || time.Since(draft.CreatedAt) > time.Hour {
		t.Errorf("created at %v", draft.CreatedAt)
	}
	rec := provinceRecord("zj", []int{2020, 2021}, true)
	if err := st.SaveProvince(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindProvince(ctx, "zj")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("read back\n%+v\nsaved\n%+v", got, rec)
	}
	if d, err := st.FindProvince(ctx, "draft"); err != nil || d.Result != nil || d.Scenario.Pool[0].Year != 2020 {
		t.Errorf("draft read back as %+v (%v)", d, err)
	}
	list, err := st.ListProvinces(ctx)
	if err != nil || len(list) != 2 || list[0].ID != "draft" || list[1].ID != "zj" {
		t.Errorf("list %v (%v)", list, err)
	}
	// the rows join the counties (a demo province of 3 counties)
	var rows int
	var allocated float64
	var plan string
	err = db.SQL().QueryRowContext(ctx, `SELECT count(*), sum(a.allocated_mu), min(a.scenario_id) FROM province_allocation a
		JOIN county c ON c.code = a.county WHERE a.province_id = $1 AND a.year = $2`, "zj", 2021).Scan(&rows, &allocated, &plan)
	if err != nil || rows != 2 || allocated != 500 || plan != "zj-c01" {
		t.Errorf("joined to counties: %d rows, %g mu allocated, plan %q (%v)", rows, allocated, plan, err)
	}

	// saving again replaces the record and its rows
	again := provinceRecord("zj", []int{2022}, true)
	again.CreatedAt = rec.CreatedAt
	if err := st.SaveProvince(ctx, again); err != nil {
		t.Fatal(err)
	}
	if n := allocationRows(t, db, "zj"); n != 2 {
		t.Errorf("after replacing: %d allocation rows, want 2", n)
	}

	// failed saves write nothing: the record saved before stays whole
	for _, tc := range []struct {
		name  string
		spoil func(*planner.ProvinceRecord)
		want  string
	}{
		{"no id", func(r *planner.ProvinceRecord) { r.ID = "" }, "id"},
		{"a county twice", func(r *planner.ProvinceRecord) { r.Result.Allocation[1] = r.Result.Allocation[0] },
			"result.allocation[1]: county c01 year 2020 is listed twice"},
		{"NaN marginal value", func(r *planner.ProvinceRecord) { r.Result.Allocation[2].MarginalValue = math.NaN() },
			"result.allocation[2].marginal_value: county c02 year 2020: NaN is not a finite number"},
		{"infinite price", func(r *planner.ProvinceRecord) { r.Result.Prices[0].Price = math.Inf(1) }, "result.prices[0].price"},
		// the database refuses the row: the province row's update is rolled back
		{"year out of range", func(r *planner.ProvinceRecord) { r.Result.Allocation[3].Year = 3000 }, "province_allocation_year_check"},
		{"negative allocation", func(r *planner.ProvinceRecord) { r.Result.Allocation[0].AllocatedMu = -1 }, "province_allocation_allocated_mu_check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := provinceRecord("zj", []int{2020, 2021}, true)
			bad.Scenario.Description = "must not be saved"
			tc.spoil(bad)
			err := st.SaveProvince(ctx, bad)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
			if !strings.Contains(tc.want, "_check") && planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("code %s, want EINVALID", planner.ErrorCode(err))
			}
			now, err := st.FindProvince(ctx, "zj")
			if err != nil || !reflect.DeepEqual(now, again) || allocationRows(t, db, "zj") != 2 {
				t.Errorf("a failed save changed the record: %+v (%v)", now, err)
			}
		})
	}
	if _, err := st.FindProvince(ctx, "nowhere"); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("unknown province: %v, want ENOTFOUND", err)
	}
	testProvinceCollection(t, db)
}

// testProvinceCollection: a saved plan's allocation is a collection, one
// feature per county of the plan (its boundary), with the totals and the
// figures of each year flattened; the draft without a result has none.
func testProvinceCollection(t *testing.T, db *data.DB) {
	ctx := context.Background()
	fs := data.NewFeatureStore(db.SQL())
	cs, err := fs.Collections(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cs {
		if strings.HasPrefix(c.ID, "province-") {
			ids = append(ids, c.ID)
		}
	}
	if strings.Join(ids, " ") != "province-draft.allocation province-zj.allocation" {
		t.Errorf("province collections %v", ids)
	}
	page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "province-zj.allocation", Limit: 10, CRS: planner.CRS84})
	if err != nil {
		t.Fatal(err)
	}
	fc := featureCollection(t, page.Features)
	if len(fc) != 2 || fc[0].ID != "c01" || fc[1].ID != "c02" {
		t.Fatalf("%d features %v", len(fc), page.Features)
	}
	want := map[string]any{"county": "c02", "name_zh": "示范县02", "scenario_id": "zj-c02", "request_mu": 240.0,
		"allocated_mu": 300.0, "used_mu": 270.0, "marginal_value": 0.25, "release_value": 0.1,
		"request_mu_2022": 240.0, "allocated_mu_2022": 300.0, "used_mu_2022": 270.0, "marginal_value_2022": 0.25, "release_value_2022": 0.1}
	for k, v := range want {
		if fc[1].Properties[k] != v {
			t.Errorf("c02 %s = %v, want %v", k, fc[1].Properties[k], v)
		}
	}
	if _, ok := fc[1].Geometry.(orb.MultiPolygon); !ok {
		t.Errorf("c02 geometry %T, want its county's MultiPolygon", fc[1].Geometry)
	}
	if page, err := fs.Items(ctx, planner.ItemsQuery{Collection: "province-draft.allocation", Limit: 10, CRS: planner.CRS84}); err != nil || page.Matched != 0 {
		t.Errorf("an unsolved plan's allocation: %v, %v", page, err)
	}
	if _, err := fs.Items(ctx, planner.ItemsQuery{Collection: "province-nowhere.allocation", Limit: 10, CRS: planner.CRS84}); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("unknown province's collection: %v, want ENOTFOUND", err)
	}
}

func allocationRows(t *testing.T, db *data.DB, id string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), `SELECT count(*) FROM province_allocation WHERE province_id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
