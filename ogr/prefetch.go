package ogr

import (
	"sync"

	"github.com/parkplan/parkplan/planner/dataset"
)

// prefetch starts every binary layer stream of a mapping as soon as the
// first is opened, so the GDAL processes' start-up (a few tenths of a
// second each: the drivers load) overlaps instead of adding up layer by
// layer. The streams are still read one at a time, in the dataset's
// order; each one started early waits on its pipe (a few batches of
// features buffered) until it is read. close stops those never read.
type prefetch struct {
	mu      sync.Mutex
	starts  []func() (dataset.FeatureStream, error)
	started map[int]prefetched
	begun   bool
}

type prefetched struct {
	s   dataset.FeatureStream
	err error
}

// add registers a stream's start and returns the opener to use instead.
func (p *prefetch) add(start func() (dataset.FeatureStream, error)) func() (dataset.FeatureStream, error) {
	i := len(p.starts)
	p.starts = append(p.starts, start)
	return func() (dataset.FeatureStream, error) { return p.open(i) }
}

// open returns stream i, started now or earlier; the first call starts
// every stream.
func (p *prefetch) open(i int) (dataset.FeatureStream, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.begun {
		p.begun = true
		p.started = make(map[int]prefetched, len(p.starts))
		for j, start := range p.starts {
			if j != i {
				s, err := start()
				p.started[j] = prefetched{s, err}
			}
		}
		return p.starts[i]()
	}
	if got, ok := p.started[i]; ok {
		delete(p.started, i)
		return got.s, got.err
	}
	return p.starts[i]()
}

// close stops the streams started and never opened.
func (p *prefetch) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, got := range p.started {
		if got.s != nil {
			got.s.Close()
		}
		delete(p.started, i)
	}
	return nil
}
