package demo

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// ParkTotals adds up a set of locked parks.
type ParkTotals struct {
	Parks   int
	AreaMu  float64 // mu
	FloorM2 float64 // m²
	Firms   int
}

// Summary is what the demo tests and `parkplan demo` report about a dataset.
type Summary struct {
	Existing, UnderConstruction ParkTotals
	Candidates                  int
	NewLand, OldFactory         int
	Groups                      int // distinct enterprise profiles (town, industry, size, floor, output, tax, flags)
}

// Summarize counts a dataset's parks, candidates and enterprise groups.
func Summarize(ds *planner.Dataset) Summary {
	var s Summary
	for _, p := range ds.Parcels {
		var t *ParkTotals
		switch p.Kind {
		case planner.KindExisting:
			t = &s.Existing
		case planner.KindUnderConstruction:
			t = &s.UnderConstruction
		case planner.KindNewLand:
			s.Candidates++
			s.NewLand++
		case planner.KindOldFactory:
			s.Candidates++
			s.OldFactory++
		}
		if t != nil {
			t.Parks++
			t.AreaMu += p.AreaMu
			t.FloorM2 += p.FloorM2
			t.Firms += p.Firms
		}
	}
	groups := map[string]struct{}{}
	for _, e := range ds.Enterprises {
		groups[groupKey(e)] = struct{}{}
	}
	s.Groups = len(groups)
	return s
}

// groupKey is what makes two firms interchangeable for the planner.
func groupKey(e planner.Enterprise) string {
	return fmt.Sprintf("%s|%s|%s|%g|%g|%g|%s|%t|%t", e.Town, e.Industry, e.Size, e.FloorM2, e.OutputPerMu, e.TaxPerMu, e.Pollution, e.LowScattered, e.SafetyOK)
}
