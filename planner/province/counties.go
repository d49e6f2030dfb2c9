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

// DemoProvince is the province of `parkplan demo --counties n --seed
// seed` (demo.Province: n distinct Cixi-like counties c01, c02, …, placed
// apart), split by county with CountyDataset as a province read from the
// database is.
func DemoProvince(n int, seed int64) (*Province, error) {
	ds, err := demo.Province(demo.Options{Seed: seed}, n)
	if err != nil {
		return nil, err
	}
	return FromDatasets(ds.Counties, ds.CountyDataset)
}

// Revision is the counties' dataset revision (the greatest, 0 when none
// came from a store).
func (p *Province) Revision() int {
	rev := 0
	for _, ds := range p.Datasets {
		rev = max(rev, ds.Revision)
	}
	return rev
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
