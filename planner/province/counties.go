package province

import (
	"fmt"
	"sort"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/demo"
)

// Province is what the coordinator solves on: the counties and each
// county's own dataset (its towns, parcels, quotas and firms), by code.
type Province struct {
	Counties []planner.County            // by Code
	Datasets map[string]*planner.Dataset // by County.Code
}

// Codes returns the county codes in order.
func (p *Province) Codes() []string {
	out := make([]string, len(p.Counties))
	for i, c := range p.Counties {
		out[i] = c.Code
	}
	return out
}

// maxSeedTries bounds the seeds DemoProvince skips for one county.
const maxSeedTries = 20

// DemoProvince makes a province of n demo counties (planner/demo, seeds
// seed, seed+1, …; a seed the generator cannot lay out is skipped),
// coded c01, c02, …. Each is a Cixi-like county of its
// own; they are not placed apart (each county is solved alone, so their
// geography never meets).
//
// This is the seam for the dataset that holds a whole province (issue
// 13's county work: Town.County, Dataset.Counties, CountyDataset): once
// it is on main, a province read from the store is
// FromDatasets(ds.Counties, ds.CountyDataset) — countyDataset below is
// the one line to switch.
func DemoProvince(n int, seed int64) (*Province, error) {
	if n < 1 {
		return nil, planner.FieldErrorf("counties", "want at least 1 county, got %d", n)
	}
	p := &Province{Datasets: map[string]*planner.Dataset{}}
	next := seed
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("c%02d", i+1)
		var ds *planner.Dataset
		var err error
		// A seed whose parcels cannot all be placed gives no county; the
		// next seed is drawn instead (the same seeds every time).
		for tries := 0; ; tries++ {
			ds, err = countyDataset(next)
			next++
			if err == nil {
				break
			}
			if tries == maxSeedTries {
				return nil, fmt.Errorf("demo county %s: %w", code, err)
			}
		}
		p.Counties = append(p.Counties, planner.County{Code: code, NameZh: fmt.Sprintf("示范县%d", i+1), NameEn: fmt.Sprintf("Demo county %d", i+1)})
		p.Datasets[code] = ds
	}
	return p, nil
}

// countyDataset is one county's dataset. Today: a demo county of its own
// seed. With counties in the data: ds.CountyDataset(code).
func countyDataset(seed int64) (*planner.Dataset, error) {
	return demo.Generate(demo.Options{Seed: seed})
}

// FromDatasets makes a Province from counties and a function giving each
// county's dataset (e.g. a province-wide Dataset's split by county).
func FromDatasets(counties []planner.County, dataset func(code string) (*planner.Dataset, error)) (*Province, error) {
	p := &Province{Datasets: map[string]*planner.Dataset{}}
	for _, c := range counties {
		ds, err := dataset(c.Code)
		if err != nil {
			return nil, fmt.Errorf("county %s: %w", c.Code, err)
		}
		p.Counties = append(p.Counties, c)
		p.Datasets[c.Code] = ds
	}
	sort.Slice(p.Counties, func(i, j int) bool { return p.Counties[i].Code < p.Counties[j].Code })
	return p, nil
}
