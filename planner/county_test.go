package planner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
	"github.com/parkplan/parkplan/planner/plantest"
)

// TestCountyDataset: a province's county sub-datasets partition its
// towns, quotas, parcels, overlaps and firms; each keeps the shared
// industries and the protected land of its own county only (the demo's
// counties lie apart); an unknown county is ENOTFOUND.
func TestCountyDataset(t *testing.T) {
	ds, err := demo.Province(demo.Options{Seed: demo.DefaultSeed}, 3)
	if err != nil {
		t.Fatal(err)
	}
	var towns, quotas, parcels, overlaps, firms, protected int
	for _, code := range ds.CountyCodes() {
		t.Run(code, func(t *testing.T) {
			sub, err := ds.CountyDataset(code)
			if err != nil {
				t.Fatal(err)
			}
			if len(sub.Counties) != 1 || sub.Counties[0].Code != code || len(sub.Industries) != len(ds.Industries) || sub.Revision != ds.Revision {
				t.Errorf("counties %v, %d industries", sub.CountyCodes(), len(sub.Industries))
			}
			in := map[string]bool{}
			for _, tw := range sub.Towns {
				in[tw.Code] = tw.County == code
			}
			for _, q := range sub.Quotas {
				if !in[q.Town] {
					t.Errorf("quota of town %s", q.Town)
				}
			}
			for _, p := range sub.Parcels {
				if !in[p.Town] {
					t.Errorf("parcel %s of town %s", p.ID, p.Town)
				}
			}
			for id := range sub.Overlaps {
				if !strings.HasPrefix(id, code+"-") {
					t.Errorf("overlap of parcel %s", id)
				}
			}
			for _, e := range sub.Enterprises {
				if !in[e.Town] {
					t.Errorf("firm %s of town %s", e.ID, e.Town)
				}
			}
			for _, a := range sub.Protected {
				if !strings.HasPrefix(a.ID, code+"-") {
					t.Errorf("protected area %s of another county", a.ID)
				}
			}
			if len(sub.Towns) == 0 || len(sub.Parcels) == 0 || len(sub.Protected) == 0 || len(sub.Enterprises) == 0 {
				t.Errorf("empty county: %d towns, %d parcels, %d protected, %d firms", len(sub.Towns), len(sub.Parcels), len(sub.Protected), len(sub.Enterprises))
			}
			if planner.ScenarioHash(planner.Defaults(), sub) == planner.ScenarioHash(planner.Defaults(), ds) {
				t.Error("a county hashes as the province")
			}
			towns += len(sub.Towns)
			quotas += len(sub.Quotas)
			parcels += len(sub.Parcels)
			overlaps += len(sub.Overlaps)
			firms += len(sub.Enterprises)
			protected += len(sub.Protected)
		})
	}
	if towns != len(ds.Towns) || quotas != len(ds.Quotas) || parcels != len(ds.Parcels) || overlaps != len(ds.Overlaps) ||
		firms != len(ds.Enterprises) || protected != len(ds.Protected) {
		t.Errorf("the counties hold %d towns, %d quotas, %d parcels, %d overlaps, %d firms, %d protected areas; the province %d, %d, %d, %d, %d, %d",
			towns, quotas, parcels, overlaps, firms, protected,
			len(ds.Towns), len(ds.Quotas), len(ds.Parcels), len(ds.Overlaps), len(ds.Enterprises), len(ds.Protected))
	}
	if _, err := ds.CountyDataset("c99"); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("unknown county: %v, want ENOTFOUND", err)
	}
}

// TestCountyDatasetWithoutCounties: a dataset without counties is the
// default county, whole.
func TestCountyDatasetWithoutCounties(t *testing.T) {
	ds := plantest.Hand()
	sub, err := ds.CountyDataset(planner.DefaultCountyCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Towns) != len(ds.Towns) || len(sub.Parcels) != len(ds.Parcels) || len(sub.Enterprises) != len(ds.Enterprises) ||
		len(sub.Quotas) != len(ds.Quotas) || planner.ScenarioHash(planner.Defaults(), sub) != planner.ScenarioHash(planner.Defaults(), ds) {
		t.Errorf("the default county of a dataset without counties is not the whole dataset")
	}
	if _, err := ds.CountyDataset("c01"); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("unknown county: %v, want ENOTFOUND", err)
	}
}

// ExampleDataset_CountyDataset takes one county out of a demo province.
func ExampleDataset_CountyDataset() {
	ds, _ := demo.Province(demo.Options{Seed: demo.DefaultSeed}, 2)
	c02, _ := ds.CountyDataset("c02")
	fmt.Println(ds.CountyCodes(), len(ds.Towns), "towns;", c02.Counties[0].NameZh, len(c02.Towns), "towns")
	// Output: [c01 c02] 38 towns; 示范县02 19 towns
}
