package planner_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/plantest"
)

func handDataset() *planner.Dataset { return plantest.Hand() }

func ExampleBuildInstance() {
	sc := planner.Defaults()
	sc.TargetParks = 3
	inst, err := planner.BuildInstance(handDataset(), sc)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range inst.Sites {
		fmt.Printf("site %s town=%s kind=%s locked=%v specialties=%d capacity=%.0f m²\n",
			s.ParcelID, inst.Towns[s.Town], s.Kind, s.Locked, len(s.Specialties), s.CapacityM2)
	}
	for _, d := range inst.Dropped {
		fmt.Println("dropped", d)
	}
	for _, g := range inst.Groups {
		fmt.Printf("group %s/%s count=%d members=%v\n", inst.Towns[g.Town], inst.Industries[g.Industry], g.Count, g.Members)
	}
	for _, u := range inst.Excluded {
		fmt.Println("excluded", u.EnterpriseID, u.Reason)
	}
	fmt.Println("arcs", len(inst.Arcs), "quota zhouxiang", inst.QuotaMu[1])
	// Output:
	// site G-new town=guanhaiwei kind=new_land locked=false specialties=2 capacity=48000 m²
	// site Z-built town=zhouxiang kind=existing locked=true specialties=1 capacity=18000 m²
	// site Z-new town=zhouxiang kind=new_land locked=false specialties=1 capacity=69333 m²
	// site Z-old town=zhouxiang kind=old_factory locked=false specialties=1 capacity=25600 m²
	// dropped G-farm (guanhaiwei): overlaps permanent basic farmland by 3.20 mu (tolerance 0.01 mu)
	// group guanhaiwei/appliance count=1 members=[E4]
	// group zhouxiang/garment count=1 members=[E3]
	// group zhouxiang/textile count=2 members=[E1 E2]
	// excluded E5 barred_pollution
	// excluded E6 low_scattered
	// excluded E7 safety
	// arcs 12 quota zhouxiang [20 20 0 0]
}

func TestBuildInstanceRules(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*planner.Scenario)
		check func(t *testing.T, inst *planner.Instance)
	}{
		{"within town keeps firms home", func(s *planner.Scenario) { s.WithinTown = true }, func(t *testing.T, inst *planner.Instance) {
			for _, a := range inst.Arcs {
				if inst.Groups[a.Group].Town != inst.Sites[a.Site].Town {
					t.Errorf("arc %+v crosses towns", a)
				}
			}
		}},
		{"relocation cap", func(s *planner.Scenario) { s.MaxRelocationKm = 3 }, func(t *testing.T, inst *planner.Instance) {
			for _, a := range inst.Arcs {
				if a.DistanceKm > 3 {
					t.Errorf("arc %+v longer than 3 km", a)
				}
			}
			if len(inst.Arcs) == 0 {
				t.Error("no arcs left")
			}
		}},
		{"upgraded low/scattered enter", func(s *planner.Scenario) { s.UpgradedLowScattered = true }, func(t *testing.T, inst *planner.Instance) {
			for _, u := range inst.Excluded {
				if u.EnterpriseID == "E6" {
					t.Errorf("E6 still excluded: %s", u.Reason)
				}
			}
		}},
		{"lock out", func(s *planner.Scenario) { s.LockOut = []string{"Z-built"} }, func(t *testing.T, inst *planner.Instance) {
			for _, s := range inst.Sites {
				if s.ParcelID == "Z-built" {
					t.Error("Z-built still a site")
				}
			}
		}},
		{"tolerance lets the sliver in", func(s *planner.Scenario) { s.ProtectedToleranceMu = 5 }, func(t *testing.T, inst *planner.Instance) {
			if len(inst.Sites) != 5 {
				t.Errorf("%d sites, want 5", len(inst.Sites))
			}
		}},
		{"other specialties", func(s *planner.Scenario) { s.AllowOtherSpecialties = true }, func(t *testing.T, inst *planner.Instance) {
			for _, s := range inst.Sites {
				if !s.Locked && len(s.Specialties) != 4 {
					t.Errorf("site %s has %d specialties, want 4", s.ParcelID, len(s.Specialties))
				}
			}
		}},
		{"quota scale and extra", func(s *planner.Scenario) {
			s.QuotaScale = 0.5
			s.QuotaExtra = map[string]float64{"zhouxiang/2021": 7, "guanhaiwei/2020": -100}
		}, func(t *testing.T, inst *planner.Instance) {
			if got := fmt.Sprint(inst.QuotaMu); got != "[[0 0 0 0] [10 10 7 0]]" {
				t.Errorf("quota %s", got)
			}
		}},
		{"budget", func(s *planner.Scenario) { s.Budget = map[int]float64{2020: 5000} }, func(t *testing.T, inst *planner.Instance) {
			if !math.IsInf(inst.BudgetWan[0], 1) || inst.BudgetWan[1] != 5000 {
				t.Errorf("budget %v", inst.BudgetWan)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := planner.Defaults()
			c.edit(&sc)
			inst, err := planner.BuildInstance(handDataset(), sc)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, inst)
		})
	}
}

func TestBuildInstanceErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*planner.Scenario)
		want string
	}{
		{"lock in unknown", func(s *planner.Scenario) { s.LockIn = []string{"nope"} }, `lock_in[0]: no parcel "nope"`},
		{"lock out unknown", func(s *planner.Scenario) { s.LockOut = []string{"nope"} }, `lock_out[0]: no parcel "nope"`},
		{"quota town unknown", func(s *planner.Scenario) { s.QuotaExtra = map[string]float64{"atlantis/2020": 1} }, `quota_extra.atlantis/2020: no town "atlantis"`},
		{"invalid scenario", func(s *planner.Scenario) { s.UsableShare = 2 }, "usable_share"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := planner.Defaults()
			c.edit(&sc)
			_, err := planner.BuildInstance(handDataset(), sc)
			if err == nil || !strings.Contains(err.Error(), c.want) || planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("error %v, want EINVALID containing %q", err, c.want)
			}
		})
	}
}

// TestBuildInstanceDeterministic builds twice from shuffled input: the same instance.
func TestBuildInstanceDeterministic(t *testing.T) {
	a, err := planner.BuildInstance(handDataset(), planner.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	ds := handDataset()
	for i, j := 0, len(ds.Enterprises)-1; i < j; i, j = i+1, j-1 {
		ds.Enterprises[i], ds.Enterprises[j] = ds.Enterprises[j], ds.Enterprises[i]
	}
	ds.Parcels[0], ds.Parcels[4] = ds.Parcels[4], ds.Parcels[0]
	ds.Towns[0], ds.Towns[1] = ds.Towns[1], ds.Towns[0]
	b, err := planner.BuildInstance(ds, planner.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
		t.Error("input order changes the instance")
	}
}
