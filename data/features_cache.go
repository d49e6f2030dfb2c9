package data

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

// featureNotifyChannel is the channel migration 00030's triggers notify
// when a table a feature layer reads changes.
const featureNotifyChannel = "parkplan_features"

// cachePingEvery bounds how long a silently broken notification
// connection (no reset from the network) can go unnoticed.
const cachePingEvery = 5 * time.Second

// featureCache keeps encoded pages and features. It is exact, not
// time-based: an entry is used only while no change has been committed
// since it was read. Every committed change to a layer's tables sends
// NOTIFY parkplan_features (migration 00030); the listener bumps gen, which
// invalidates every entry at once. While the listener is not connected
// (start-up, a lost connection) the cache is bypassed, and a reconnection
// bumps gen, since notifications may have been missed. A connection that
// dies silently is found by a ping within cachePingEvery; until then a
// cached answer may lag a change.
type featureCache struct {
	maxBytes int64
	gen      atomic.Uint64 // bumped by every notification
	live     atomic.Bool   // the listener is connected and listening

	mu    sync.Mutex
	bytes int64
	m     map[string]cacheEntry

	// position reads the primary's WAL position (reads routed to
	// standbys, FeatureStore.RouteReads); nil otherwise.
	position func(context.Context) (planner.LSN, error)
	posMu    sync.Mutex
	posGen   uint64      // the generation posLSN belongs to
	posLSN   planner.LSN // the primary's position when posGen started; 0: unknown
}

// genPosition returns the primary's position when generation gen started,
// 0 when unknown or gen is no longer current.
func (c *featureCache) genPosition(gen uint64) planner.LSN {
	c.posMu.Lock()
	defer c.posMu.Unlock()
	if c.posGen != gen {
		return 0
	}
	return c.posLSN
}

// cacheUsable reports whether ctx's read may answer from the cache's
// generation gen: always, unless its client wrote after gen started.
func (s *FeatureStore) cacheUsable(ctx context.Context, gen uint64) bool {
	if s.route == nil {
		return true
	}
	rs := planner.ReadSessionFrom(ctx)
	return rs == nil || rs.After == 0 || s.cache.genPosition(gen) >= rs.After
}

// cacheFill reports whether ctx's answer, read in generation gen, may be
// cached: one from the primary always; one from a standby only if the
// standby had replayed the primary's position when gen started.
func (s *FeatureStore) cacheFill(ctx context.Context, gen uint64) bool {
	if s.route == nil {
		return true
	}
	_, seen := s.route.pick(ctx)
	p := s.cache.genPosition(gen)
	return seen == planner.MaxLSN || (p > 0 && seen >= p)
}

// cacheEntry is one cached answer and the generation it was read in.
type cacheEntry struct {
	gen       uint64
	body      []byte
	etag      string // tiles: the entity tag of body
	returned  int
	matched   int
	truncated bool
}

// generation returns the current generation and whether caching is on.
func (c *featureCache) generation() (uint64, bool) {
	if c == nil || !c.live.Load() {
		return 0, false
	}
	return c.gen.Load(), true
}

// get returns the entry of key if it was read in the current generation.
func (c *featureCache) get(key string) (cacheEntry, bool) {
	gen, ok := c.generation()
	if !ok {
		return cacheEntry{}, false
	}
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	return e, ok && e.gen == gen
}

// put stores e (read in generation e.gen) unless a change has come since.
func (c *featureCache) put(key string, e cacheEntry) {
	gen, ok := c.generation()
	if !ok || e.gen != gen {
		return
	}
	size := int64(len(key) + len(e.body) + 64)
	if size > c.maxBytes/4 {
		return // one answer may not crowd out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[key]; ok {
		c.bytes -= int64(len(key) + len(old.body) + 64)
	}
	if c.bytes+size > c.maxBytes {
		// Full: start over (answers of the current generation come back on use).
		clear(c.m)
		c.bytes = 0
	}
	c.m[key] = e
	c.bytes += size
}

// invalidate drops every entry (by generation; memory is freed lazily).
// With reads routed to standbys, the new generation records the primary's
// WAL position (0 when it cannot be read): every answer cached in it must
// reflect the primary at least up to there.
func (c *featureCache) invalidate() {
	var lsn planner.LSN
	if c.position != nil {
		ctx, cancel := context.WithTimeout(context.Background(), readCheckTimeout)
		if p, err := c.position(ctx); err == nil {
			lsn = p
		}
		cancel()
	}
	c.posMu.Lock()
	c.posGen = c.gen.Add(1)
	c.posLSN = lsn
	c.posMu.Unlock()
	c.mu.Lock()
	clear(c.m)
	c.bytes = 0
	c.mu.Unlock()
}

// StartCache turns on the feature cache of up to maxBytes, invalidated by
// PostgreSQL notifications received on a dedicated connection to dsn (the
// database the store reads). It returns once listening, or with an error
// (the store then works uncached); the listener stops when ctx ends.
// Call it once, before serving, and after RouteReads if reads are routed.
func (s *FeatureStore) StartCache(ctx context.Context, dsn string, maxBytes int64, log *slog.Logger) error {
	if maxBytes <= 0 {
		return nil
	}
	c := &featureCache{maxBytes: maxBytes, m: map[string]cacheEntry{}}
	if s.route != nil {
		c.position = s.route.WritePosition
	}
	events := func(ev pq.ListenerEventType, err error) {
		switch ev {
		case pq.ListenerEventDisconnected:
			c.live.Store(false)
			c.invalidate()
			log.Warn("feature cache off: notification connection lost", "error", err)
		case pq.ListenerEventReconnected:
			c.invalidate() // notifications may have been missed
			c.live.Store(true)
			log.Info("feature cache on again: notification connection re-established")
		}
	}
	l := pq.NewListener(dsn, 100*time.Millisecond, 10*time.Second, events)
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- l.Listen(featureNotifyChannel) }()
	select {
	case err := <-errc:
		if err != nil {
			l.Close()
			return fmt.Errorf("data: feature cache: listening on %s: %w", featureNotifyChannel, err)
		}
	case <-lctx.Done():
		l.Close()
		return fmt.Errorf("data: feature cache: listening on %s: %w", featureNotifyChannel, lctx.Err())
	}
	c.invalidate()
	c.live.Store(true)
	s.cache = c
	go func() {
		for {
			select {
			case <-ctx.Done():
				c.live.Store(false)
				l.Close()
				return
			case <-l.Notify:
				// A table changed, or (nil) the connection was re-established.
				c.invalidate()
			case <-time.After(cachePingEvery):
				// A silently dead connection shows up on a ping, which
				// turns the cache off (ListenerEventDisconnected).
				go l.Ping()
			}
		}
	}()
	return nil
}
