package jobs

import (
	"context"
	"sync"

	"github.com/parkplan/parkplan/planner"
)

// datasetCache keeps the last dataset a worker read, for the county tasks
// that follow at the same revision: a province round gives a worker many
// counties of one dataset, and a revision names its content (an import
// makes the next one), so one read serves them all. The dataset is read
// only (the engine builds a model from it and never changes it).
type datasetCache struct {
	mu sync.Mutex
	ds *planner.Dataset
}

// load returns the dataset at revision rev: the cached one when it is at
// rev, else the store's current one (which may be at another revision:
// the caller compares).
func (c *datasetCache) load(ctx context.Context, store planner.DatasetStore, rev int) (*planner.Dataset, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ds != nil && rev != 0 && c.ds.Revision == rev {
		return c.ds, nil
	}
	ds, err := store.LoadDataset(ctx)
	if err != nil {
		return nil, err
	}
	c.ds = ds
	return ds, nil
}
