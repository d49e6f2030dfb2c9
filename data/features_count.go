package data

import (
	"sync"
	"time"
)

// DefaultCountTTL is how long a collection's numberMatched for one set of
// filters is reused. Counting 100,000 parcels costs several times a
// 1,000-feature page, and pages of one query share their count; a count
// can lag a change of the data (an import) by at most this long, and a
// scenario's re-run changes its layers' key at once.
const DefaultCountTTL = 30 * time.Second

// countCacheMax bounds the number of cached counts; the cache is emptied
// when it is full (filters repeat: a client walks the pages of one query).
const countCacheMax = 4096

// countCache keeps recent counts of matching features, by query and arguments.
type countCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]countEntry
}

// countEntry is one cached count and when it was taken.
type countEntry struct {
	n  int
	at time.Time
}

// get returns a count taken less than ttl ago.
func (c *countCache) get(key string) (int, bool) {
	if c.ttl <= 0 {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Since(e.at) > c.ttl {
		return 0, false
	}
	return e.n, true
}

// put records a count.
func (c *countCache) put(key string, n int) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= countCacheMax {
		clear(c.m)
	}
	c.m[key] = countEntry{n: n, at: time.Now()}
}

// SetCountTTL sets how long numberMatched counts are reused (0: never;
// DefaultCountTTL unless set).
func (s *FeatureStore) SetCountTTL(ttl time.Duration) {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	s.counts.ttl = ttl
	clear(s.counts.m)
}
