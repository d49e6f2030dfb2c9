package planner

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestLoadProvinceScenarioShipped(t *testing.T) {
	ps, err := LoadProvinceScenarioFile("../scenarios/province-demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ps.Name != "province-demo" || len(ps.Pool) != 4 || ps.Pool[0].NewLandMu != 1200 {
		t.Errorf("pool %+v", ps.Pool)
	}
	if ps.County.NodeLimit != 300 || ps.County.TargetParks != Defaults().TargetParks || ps.MaxNewLandParks != -1 {
		t.Errorf("county %+v, max_new_land_parks %d: want the file's node limit over Defaults and no province cap", ps.County, ps.MaxNewLandParks)
	}
	sc, err := ps.CountyScenario("c03")
	if err != nil {
		t.Fatal(err)
	}
	if sc.MaxRelocationKm != 10 || sc.NodeLimit != 300 || sc.Name != "province-demo/c03" {
		t.Errorf("c03: relocation %v, node limit %d, name %q", sc.MaxRelocationKm, sc.NodeLimit, sc.Name)
	}
	other, err := ps.CountyScenario("c01")
	if err != nil {
		t.Fatal(err)
	}
	if other.MaxRelocationKm != Defaults().MaxRelocationKm {
		t.Errorf("c01 took c03's override: %v", other.MaxRelocationKm)
	}
	if sh, ok := ps.Share("c01", 2020); !ok || sh.CapMu != 400 || sh.FloorMu != 20 {
		t.Errorf("c01 2020 share %+v %v", sh, ok)
	}
	if _, ok := ps.Share("c05", 2020); ok {
		t.Error("c05 has no share row")
	}
}

// TestLoadProvinceScenarioErrors: each bad file is refused with the
// field's path and the bad value in the message.
func TestLoadProvinceScenarioErrors(t *testing.T) {
	const pool = "pool: [{year: 2019, new_land_mu: 100}]\n"
	cases := []struct{ name, file, want string }{
		{"empty", "", "empty file"},
		{"no name", pool, "name: must not be empty"},
		{"unknown field", "name: p\nflavour: x\n" + pool, "flavour: unknown field"},
		{"unknown county field", "name: p\ncounty: {colour: red}\n" + pool, "county.colour: unknown field"},
		{"county value", "name: p\ncounty: {usable_share: 2}\n" + pool, "county.usable_share: must be in (0, 1], got 2"},
		{"no pool", "name: p\n", "pool: must list"},
		{"pool year", "name: p\npool: [{year: 2030, new_land_mu: 1}]\n", "pool[0].year: must be in the county horizon 2019…2022, got 2030"},
		{"pool twice", "name: p\npool: [{year: 2019, new_land_mu: 1}, {year: 2019, new_land_mu: 2}]\n", "pool[1].year: year 2019 listed twice"},
		{"pool negative", "name: p\npool: [{year: 2019, new_land_mu: -5}]\n", "pool[0].new_land_mu: must be a number of mu in 0…10000000, got -5"},
		{"pool type", "name: p\npool: [{year: 2019, new_land_mu: lots}]\n", `pool[0].new_land_mu: want a number, got "lots"`},
		{"cap below floor", "name: p\n" + pool + "shares: [{county: a, floor_mu: 10, cap_mu: 5}]\n", "shares[0].cap_mu: must be at least floor_mu (10) or 0 for no cap, got 5"},
		{"floors over pool", "name: p\n" + pool + "shares: [{county: a, floor_mu: 60}, {county: b, floor_mu: 60}]\n", "shares: the counties' floors in 2019 sum to 120 mu, more than the pool's 100 mu"},
		{"share twice", "name: p\n" + pool + "shares: [{county: a}, {county: a}]\n", `shares[1]: county "a", year 0 listed twice`},
		{"override unknown", "name: p\n" + pool + "per_county: {yuyao: {colour: red}}\n", "per_county.yuyao.colour: unknown field"},
		{"override value", "name: p\n" + pool + "per_county: {yuyao: {quota_scale: -1}}\n", "per_county.yuyao.quota_scale: must be ≥ 0, got -1"},
		{"override type", "name: p\n" + pool + "per_county: {yuyao: {target_parks: many}}\n", "per_county.yuyao.target_parks"},
		{"override horizon", "name: p\n" + pool + "per_county: {yuyao: {last_year: 2021}}\n", "per_county.yuyao.last_year: must be the same for every county"},
		{"county allocation by hand", "name: p\ncounty: {county_allocation: {2019: 5}}\n" + pool, "county.county_allocation: is set by the province's coordinator"},
		{"park bonus by hand", "name: p\ncounty: {park_bonus: {2019: 5}}\n" + pool, "county.park_bonus: is set by the province's coordinator (the province-wide target's price)"},
		{"new-land park price by hand", "name: p\n" + pool + "per_county: {yuyao: {new_land_park_price: 3}}\n", "per_county.yuyao.new_land_park_price: is set by the province's coordinator"},
		{"park bonus negative", "name: p\ncounty: {park_bonus: {2019: -5}}\n" + pool, "county.park_bonus.2019: must be ≥ 0, got -5"},
		{"target year", "name: p\n" + pool + "target_parks: 5\ntarget_year: 2040\n", "target_year: must be in 2019…2022, got 2040"},
		{"json unknown", `{"name": "p", "pool": [{"year": 2019, "new_land_mu": 1}], "extra": 1}`, "extra: unknown field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadProvinceScenario(strings.NewReader(c.file))
			if err == nil {
				t.Fatalf("accepted:\n%s", c.file)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if ErrorCode(err) != EINVALID {
				t.Errorf("code %q, want %q", ErrorCode(err), EINVALID)
			}
		})
	}
}

// TestProvinceOverrideMaps: an override's map (budget, with year keys in
// YAML) replaces the county section's; the file's JSON form loads alike.
func TestProvinceOverrideMaps(t *testing.T) {
	yml := "name: p\ncounty: {budget: {2019: 500, 2020: 500}}\npool: [{year: 2019, new_land_mu: 10}]\nper_county: {a: {budget: {2021: 90}}}\n"
	ps, err := LoadProvinceScenario(strings.NewReader(yml))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ps.CountyScenario("a")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Budget) != 1 || sc.Budget[2021] != 90 {
		t.Errorf("budget %v, want only 2021: 90", sc.Budget)
	}
	js := `{"name": "p", "county": {"budget": {"2019": 500}}, "pool": [{"year": 2019, "new_land_mu": 10}], "per_county": {"a": {"budget": {"2021": 90}}}}`
	pj, err := LoadProvinceScenario(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	sj, err := pj.CountyScenario("a")
	if err != nil {
		t.Fatal(err)
	}
	if len(sj.Budget) != 1 || sj.Budget[2021] != 90 {
		t.Errorf("JSON budget %v", sj.Budget)
	}
}

func TestLoadProvinceScenarioFileNamesFile(t *testing.T) {
	path := t.TempDir() + "/bad.yaml"
	if err := os.WriteFile(path, []byte("name: p\npool: [{year: 1990, new_land_mu: 1}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadProvinceScenarioFile(path)
	if err == nil || !strings.HasPrefix(err.Error(), "bad.yaml: pool[0].year") {
		t.Errorf("got %v", err)
	}
}

func ExampleLoadProvinceScenario() {
	ps, err := LoadProvinceScenario(strings.NewReader(`
name: zj
county: {node_limit: 500}
pool: [{year: 2020, new_land_mu: 900}]
per_county: {yuyao: {within_town: true}}
`))
	if err != nil {
		panic(err)
	}
	sc, _ := ps.CountyScenario("yuyao")
	fmt.Println(sc.Name, sc.NodeLimit, sc.WithinTown, ps.MaxNewLandParks)
	_, err = LoadProvinceScenario(strings.NewReader("name: zj\npool: [{year: 2020, new_land_mu: -1}]\n"))
	fmt.Println(err)
	// Output:
	// zj/yuyao 500 true -1
	// pool[0].new_land_mu: must be a number of mu in 0…10000000, got -1
}
