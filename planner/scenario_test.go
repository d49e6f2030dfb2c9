package planner_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner"
)

func ExampleLoadScenario() {
	sc, err := planner.LoadScenario(strings.NewReader(`
name: zhouxiang-extra
target_parks: 22
quota_extra:
  zhouxiang/2020: 30
weights:
  distance_km: 0.5
time_limit: 30s
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc.Name, sc.TargetParks, sc.TargetYear, sc.MaxNewLandParks, sc.QuotaExtra["zhouxiang/2020"])
	fmt.Println(sc.Weights.DistanceKm, sc.Weights.Firms, sc.TimeLimit)
	// Output:
	// zhouxiang-extra 22 2020 6 30
	// 0.5 5 30s
}

func ExampleLoadScenario_invalid() {
	_, err := planner.LoadScenario(strings.NewReader(`{"name": "x", "weights": {"land_mu": -1}, "target_year": 2030}`))
	fmt.Println(err)
	fmt.Println(planner.ErrorCode(err))
	// Output:
	// target_year: must be in 2019…2022, got 2030
	// weights.land_mu: must be ≥ 0, got -1
	// invalid
}

// TestShippedScenarios loads every file in scenarios/; baseline.yaml must
// equal Defaults (the seed's rules) apart from its description and its
// solver limits. Every shipped scenario must stop on node_limit (or on its
// own), not on the clock, so its plan is the same to the byte on any machine.
func TestShippedScenarios(t *testing.T) {
	files, err := filepath.Glob("../scenarios/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("want ≥ 4 scenarios, got %v (%v)", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if strings.HasPrefix(filepath.Base(f), "province-") {
				// a province scenario (docs/province.md): its county section
				// is held to the same rules
				ps, err := planner.LoadProvinceScenarioFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.TrimSuffix(filepath.Base(f), ".yaml"); ps.Name != want {
					t.Errorf("name %q, want %q (the file name)", ps.Name, want)
				}
				if ps.County.NodeLimit <= 0 {
					t.Errorf("county.node_limit %d: a shipped scenario needs one, so its plan is reproducible", ps.County.NodeLimit)
				}
				return
			}
			sc, err := planner.LoadScenarioFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSuffix(filepath.Base(f), ".yaml"); sc.Name != want {
				t.Errorf("name %q, want %q (the file name)", sc.Name, want)
			}
			if sc.NodeLimit <= 0 {
				t.Errorf("node_limit %d: a shipped scenario needs one, so its plan is reproducible", sc.NodeLimit)
			}
			if filepath.Base(f) == "baseline.yaml" {
				d := planner.Defaults()
				d.Description = sc.Description
				d.TimeLimit, d.NodeLimit = sc.TimeLimit, sc.NodeLimit
				if !reflect.DeepEqual(*sc, d) {
					t.Errorf("baseline.yaml differs from Defaults:\n got %+v\nwant %+v", *sc, d)
				}
			}
		})
	}
}

func TestLoadScenarioErrors(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"unknown field", "name: x\nweights:\n  foo: 1\n", "weights.foo: unknown field"},
		{"unknown top field", `{"name":"x","targets":3}`, "targets: unknown field"},
		{"negative weight", "name: x\nweights:\n  land_mu: -1\n", "weights.land_mu: must be ≥ 0, got -1"},
		{"empty name", "name: ''\n", "name: must not be empty"},
		{"years reversed", "name: x\nfirst_year: 2022\nlast_year: 2019\n", "last_year: must be in"},
		{"target year outside", "name: x\ntarget_year: 2018\n", "target_year: must be in 2019…2022, got 2018"},
		{"share above 1", "name: x\nsmall_micro_share: 1.5\n", "small_micro_share: must be in 0…1, got 1.5"},
		{"usable zero", "name: x\nusable_share: 0\n", "usable_share: must be in (0, 1], got 0"},
		{"cap below -1", "name: x\nmax_new_land_parks: -2\n", "max_new_land_parks: must be ≥ 0, or -1"},
		{"quota key", "name: x\nquota_extra:\n  zhouxiang: 3\n", `quota_extra.zhouxiang: key must be "town/year"`},
		{"quota year", "name: x\nquota_extra:\n  zhouxiang/2030: 3\n", "quota_extra.zhouxiang/2030: year must be in 2019…2022, got 2030"},
		{"budget negative", "name: x\nbudget:\n  2019: -5\n", "budget.2019: must be ≥ 0, got -5"},
		{"budget year", "name: x\nbudget:\n  2030: 5\n", "budget.2030: year must be in 2019…2022"},
		{"lock in and out", "name: x\nlock_in: [P1]\nlock_out: [P1]\n", `lock_out[0]: parcel "P1" is also in lock_in`},
		{"lock twice", "name: x\nlock_in: [P1, P1]\n", `lock_in[1]: parcel "P1" listed twice`},
		{"bad duration", "name: x\ntime_limit: soon\n", `time_limit: want a duration such as "10s" or "2m", got "soon"`},
		{"zero duration", "name: x\ntime_limit: 0s\n", "time_limit: must be > 0"},
		{"gap", "name: x\ngap_target: 1\n", "gap_target: must be in [0, 1), got 1"},
		{"NUL in name", `{"name":"base\u0000line"}`, "name: must not contain NUL"},
		{"NUL in name, YAML", "name: \"base\\0line\"\n", "name: must not contain NUL"},
		{"NUL in description", `{"name":"x","description":"a\u0000b"}`, "description: must not contain NUL"},
		{"NUL in lock_in", `{"name":"x","lock_in":["P1","P\u00002"]}`, "lock_in[1]: must not contain NUL"},
		{"NUL in lock_out", `{"name":"x","lock_out":["P\u00001"]}`, "lock_out[0]: must not contain NUL"},
		{"NUL in quota key", `{"name":"x","quota_extra":{"zhou\u0000xiang/2020":3}}`, `quota_extra.zhou\x00xiang/2020: key must not contain NUL`},
		{"json type", `{"name":"x","target_parks":"many"}`, "target_parks: want int, got string"},
		{"yaml type", "name: x\ntarget_parks: many\n", `target_parks: want int, got "many"`},
		{"yaml nested type", "name: x\nweights:\n  cost: lots\n", `weights.cost: want a number, got "lots"`},
		{"not a mapping", "- a\n- b\n", "want a mapping"},
		{"empty", "  \n", "empty file"},
		{"bad json", `{"name": `, "invalid JSON"},
		// Issue 10, finding 8: numeric fields are bounded, nulls refused.
		{"quota scale overflows", `{"name":"x","quota_scale":1e308}`, "quota_scale: must be at most 1000, got 1e+308"},
		{"time limit overflows", `{"name":"x","time_limit":1e300}`, "time_limit: 1e+300 seconds overflows a duration"},
		{"time limit overflows, YAML", "name: x\ntime_limit: 1e300\n", "time_limit: 1e+300 seconds overflows a duration"},
		{"time limit too long", `{"name":"x","time_limit":"1000h"}`, "time_limit: must be > 0 and at most 24h0m0s, got 1000h0m0s"},
		{"time limit not a duration", `{"name":"x","time_limit":true}`, "time_limit: want a duration"},
		{"name null", `{"name":null}`, "name: must not be null"},
		{"name empty, YAML", "name:\n", "name: must not be null"},
		{"weights null", `{"name":"x","weights":null}`, "weights: must not be null"},
		{"quota extra null", `{"name":"x","quota_extra":{"t/2020":null}}`, "quota_extra.t/2020: must not be null"},
		{"quota extra huge", `{"name":"x","quota_extra":{"t/2020":-1e300}}`, "quota_extra.t/2020: must be a number of mu in −10000000…10000000, got -1e+300"},
		{"weight huge", "name: x\nweights:\n  cost: 1e300\n", "weights.cost: must be at most 1000000, got 1e+300"},
		{"weight NaN", "name: x\nweights:\n  cost: .nan\n", "weights.cost: must be ≥ 0, got NaN"},
		{"weight infinite", "name: x\nweights:\n  firms: .inf\n", "weights.firms: must be at most 1000000, got +Inf"},
		{"tolerance huge", `{"name":"x","protected_tolerance_mu":1e20}`, "protected_tolerance_mu: must be at most 10000"},
		{"relocation huge", `{"name":"x","max_relocation_km":1e9}`, "max_relocation_km: must be at most 5000"},
		{"budget huge", "name: x\nbudget:\n  2019: 1e200\n", "budget.2019: must be at most 1000000000"},
		{"target parks huge", `{"name":"x","target_parks":2000000000}`, "target_parks: must be at most 10000"},
		{"new land cap huge", `{"name":"x","max_new_land_parks":99999999}`, "max_new_land_parks: must be at most 10000"},
		{"node limit huge", `{"name":"x","node_limit":9000000000000}`, "node_limit: must be at most 1000000000"},
		{"node limit overflows", `{"name":"x","node_limit":1e300}`, "node_limit: want int"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := planner.LoadScenario(strings.NewReader(c.doc))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("code %q, want invalid", planner.ErrorCode(err))
			}
		})
	}
}

func TestLoadScenarioFileNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("name: x\nweights:\n  cost: -3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := planner.LoadScenarioFile(path)
	var e *planner.Error
	if !errors.As(err, &e) || e.Field != "bad.yaml: weights.cost" {
		t.Fatalf("error %v (field %q), want field \"bad.yaml: weights.cost\"", err, fieldOf(e))
	}
}

func fieldOf(e *planner.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

// TestScenarioRoundTrip writes a scenario as YAML and as JSON and reads it back.
func TestScenarioRoundTrip(t *testing.T) {
	sc := planner.Defaults()
	sc.Name = "round-trip"
	sc.QuotaExtra = map[string]float64{"zhouxiang/2020": 12.5}
	sc.Budget = map[int]float64{2019: 1500, 2020: 2000}
	sc.LockIn = []string{"P-1", "P-2"}
	sc.TimeLimit = planner.Duration{Duration: 90 * time.Second}
	var b strings.Builder
	if err := planner.WriteScenarioYAML(&b, &sc); err != nil {
		t.Fatal(err)
	}
	got, err := planner.LoadScenario(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(*got, sc) {
		t.Errorf("YAML round trip:\n got %+v\nwant %+v", *got, sc)
	}
}

func TestScenarioHash(t *testing.T) {
	ds := &planner.Dataset{Towns: []planner.Town{{Code: "b"}, {Code: "a"}}}
	sorted := &planner.Dataset{Towns: []planner.Town{{Code: "a"}, {Code: "b"}}}
	a := planner.Defaults()
	b := planner.Defaults()
	b.Name, b.Description = "other name", "same rules"
	b.LockOut = []string{"P2", "P1"}
	a.LockOut = []string{"P1", "P2"}
	if planner.ScenarioHash(a, ds) != planner.ScenarioHash(b, sorted) {
		t.Error("hash depends on name, list order or dataset order")
	}
	c := a
	c.TargetParks = 21
	if planner.ScenarioHash(a, ds) == planner.ScenarioHash(c, ds) {
		t.Error("hash ignores target_parks")
	}
	d := &planner.Dataset{Towns: []planner.Town{{Code: "a"}, {Code: "b", NameZh: "x"}}}
	if planner.ScenarioHash(a, ds) == planner.ScenarioHash(a, d) {
		t.Error("hash ignores the dataset")
	}
	if h := planner.ScenarioHash(a, ds); len(h) != 64 {
		t.Errorf("hash %q is not hex SHA-256", h)
	}
}
