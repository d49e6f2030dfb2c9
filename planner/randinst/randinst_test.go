package randinst

import (
	"reflect"
	"testing"
)

func TestGenerateDeterministicAndConsistent(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed int64
		size Size
	}{
		{"tiny-seed1", 1, Tiny()},
		{"small-seed7", 7, Small()},
		{"county1x-seed42", 42, County(1)},
		{"county3x-seed3", 3, County(3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := Generate(tc.seed, tc.size), Generate(tc.seed, tc.size)
			if !reflect.DeepEqual(a, b) {
				t.Fatal("same seed gave different instances")
			}
			if len(a.Sites) == 0 || len(a.Groups) == 0 || len(a.Arcs) == 0 {
				t.Fatalf("empty instance: %d sites, %d groups, %d arcs", len(a.Sites), len(a.Groups), len(a.Arcs))
			}
			for i, arc := range a.Arcs {
				if arc.Group < 0 || arc.Group >= len(a.Groups) || arc.Site < 0 || arc.Site >= len(a.Sites) {
					t.Fatalf("arc %d out of range: %+v", i, arc)
				}
				if i > 0 {
					p := a.Arcs[i-1]
					if p.Site > arc.Site || (p.Site == arc.Site && p.Group >= arc.Group) {
						t.Fatalf("arcs %d, %d not in (Site, Group) order", i-1, i)
					}
				}
			}
			for i, s := range a.Sites {
				if len(s.Specialties) == 0 || s.CapacityM2 <= 0 || s.FixedValue > 0 {
					t.Fatalf("site %d (%s) malformed: %+v", i, s.ParcelID, s)
				}
				if i > 0 && a.Sites[i-1].ParcelID >= s.ParcelID {
					t.Fatalf("sites %d, %d not in ParcelID order", i-1, i)
				}
			}
			t.Logf("%d towns, %d sites, %d groups, %d arcs, target %d", len(a.Towns), len(a.Sites), len(a.Groups), len(a.Arcs), a.Scenario.TargetParks)
		})
	}
}
