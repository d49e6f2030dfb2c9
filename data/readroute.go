package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

// Defaults of ReadRouterConfig.
const (
	// DefaultReadCheckEvery is how often the router checks each standby;
	// a standby that died is found within it (reads it fails meanwhile
	// are retried on the primary).
	DefaultReadCheckEvery = time.Second
	// DefaultReadMaxLag takes a standby out of rotation once it has not
	// replayed what the primary had written this long ago.
	DefaultReadMaxLag = 5 * time.Second
	// readCheckTimeout bounds one health check query.
	readCheckTimeout = 2 * time.Second
)

// primaryName names the primary in ReadSession.Server.
const primaryName = "primary"

// ReadRouterConfig tunes a ReadRouter.
type ReadRouterConfig struct {
	CheckEvery time.Duration // health check interval (DefaultReadCheckEvery)
	MaxLag     time.Duration // replay lag limit (DefaultReadMaxLag)
}

// ReadRouter sends read requests to PostgreSQL hot standbys (streaming
// replicas) and falls back to the primary. A request's queries go to one
// server (planner.ReadSession), chosen round-robin among the standbys in
// rotation that have replayed the client's last write (ReadSession.After).
// A health check every CheckEvery reads each standby's replayed position
// (pg_last_wal_replay_lsn) and the primary's (pg_current_wal_lsn): a
// standby is in rotation while it answers, is in recovery, and has
// replayed what the primary had written MaxLag ago.
type ReadRouter struct {
	primary  *sql.DB
	standbys []*standby
	cfg      ReadRouterConfig
	log      *slog.Logger
	next     atomic.Uint64 // round-robin counter

	mu      sync.Mutex
	history []lsnSample // the primary's positions over the last MaxLag and a little
}

// standby is one hot standby and what its last health check found.
type standby struct {
	name     string
	db       *sql.DB
	up       atomic.Bool
	replayed atomic.Uint64 // planner.LSN
}

// lsnSample is the primary's position at a time.
type lsnSample struct {
	at  time.Time
	lsn planner.LSN
}

var _ planner.ReadRouter = (*ReadRouter)(nil)

// NewReadRouter routes reads between primary (a pool on the primary) and
// the standbys' pools, named for logs and the Parkplan-Read-Server header.
// Standbys start out of rotation until Start's first check. It panics if
// names and standbys differ in length (a programmer error).
func NewReadRouter(primary *sql.DB, standbys []*sql.DB, names []string, cfg ReadRouterConfig, log *slog.Logger) *ReadRouter {
	if len(names) != len(standbys) {
		panic("data: NewReadRouter: one name per standby")
	}
	if cfg.CheckEvery <= 0 {
		cfg.CheckEvery = DefaultReadCheckEvery
	}
	if cfg.MaxLag <= 0 {
		cfg.MaxLag = DefaultReadMaxLag
	}
	if log == nil {
		log = slog.Default()
	}
	r := &ReadRouter{primary: primary, cfg: cfg, log: log}
	for i, db := range standbys {
		r.standbys = append(r.standbys, &standby{name: names[i], db: db})
	}
	return r
}

// Start runs one health check, then checks every CheckEvery until ctx ends.
func (r *ReadRouter) Start(ctx context.Context) {
	r.check(ctx)
	go func() {
		t := time.NewTicker(r.cfg.CheckEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.check(ctx)
			}
		}
	}()
}

// check reads the primary's position, then each standby's state.
func (r *ReadRouter) check(ctx context.Context) {
	now := time.Now()
	if lsn, err := r.WritePosition(ctx); err == nil {
		r.mu.Lock()
		r.history = append(r.history, lsnSample{now, lsn})
		// Keep the newest sample older than MaxLag and every later one.
		cut := 0
		for cut+1 < len(r.history) && now.Sub(r.history[cut+1].at) >= r.cfg.MaxLag {
			cut++
		}
		r.history = append(r.history[:0], r.history[cut:]...)
		r.mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, s := range r.standbys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.checkStandby(ctx, s, now)
		}()
	}
	wg.Wait()
}

// checkStandby puts a standby in or out of rotation.
func (r *ReadRouter) checkStandby(ctx context.Context, s *standby, now time.Time) {
	cctx, cancel := context.WithTimeout(ctx, readCheckTimeout)
	defer cancel()
	var inRecovery bool
	var replay sql.NullString
	err := s.db.QueryRowContext(cctx, `select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text`).Scan(&inRecovery, &replay)
	var lsn planner.LSN
	if err == nil && replay.Valid {
		lsn, err = planner.ParseLSN(replay.String)
	}
	reason := ""
	switch {
	case err != nil:
		reason = err.Error()
	case !inRecovery || !replay.Valid:
		reason = "not a hot standby in recovery (promoted, or not a replica)"
	default:
		s.replayed.Store(uint64(lsn))
		if behind, ok := r.behind(lsn, now); ok {
			reason = fmt.Sprintf("replay lag over %v (replayed %v, the primary was at %v)", r.cfg.MaxLag, lsn, behind)
		}
	}
	was := s.up.Load()
	s.up.Store(reason == "")
	switch {
	case was && reason != "":
		r.log.Warn("read standby out of rotation", "standby", s.name, "reason", reason)
	case !was && reason == "":
		r.log.Info("read standby in rotation", "standby", s.name, "replayed", lsn.String())
	}
}

// behind returns the primary's position MaxLag before now if lsn has
// not reached it.
func (r *ReadRouter) behind(lsn planner.LSN, now time.Time) (planner.LSN, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.history) - 1; i >= 0; i-- {
		if now.Sub(r.history[i].at) >= r.cfg.MaxLag {
			return r.history[i].lsn, lsn < r.history[i].lsn
		}
	}
	return 0, false
}

// WritePosition returns the primary's current WAL position.
func (r *ReadRouter) WritePosition(ctx context.Context) (planner.LSN, error) {
	var s string
	if err := r.primary.QueryRowContext(ctx, `select pg_current_wal_lsn()::text`).Scan(&s); err != nil {
		return 0, fmt.Errorf("data: reading the primary's WAL position: %w", err)
	}
	return planner.ParseLSN(s)
}

// pick returns the pool ctx's read session uses, and the position its
// server had replayed when chosen (MaxLSN: the primary). Without a
// session the primary serves.
func (r *ReadRouter) pick(ctx context.Context) (*sql.DB, planner.LSN) {
	rs := planner.ReadSessionFrom(ctx)
	if rs == nil {
		return r.primary, planner.MaxLSN
	}
	_, seen, pool := rs.Choose(func() (string, planner.LSN, any) {
		if !rs.PrimaryOnly {
			n := len(r.standbys)
			start := int(r.next.Add(1))
			for i := range n {
				s := r.standbys[(start+i)%n]
				if lsn := planner.LSN(s.replayed.Load()); s.up.Load() && lsn >= rs.After {
					return s.name, lsn, s
				}
			}
		}
		return primaryName, planner.MaxLSN, nil
	})
	if s, ok := pool.(*standby); ok {
		return s.db, seen
	}
	return r.primary, planner.MaxLSN
}

// Retryable reports whether a read that failed with err on a standby may
// run again on the primary: a connection or server failure (the standby
// is then out of rotation until its next good check), a query cancelled
// by a replay conflict, or a missing row the standby may not have
// replayed yet.
func (r *ReadRouter) Retryable(rs *planner.ReadSession, err error) bool {
	if rs == nil || err == nil {
		return false
	}
	_, _, pool := rs.Choose(func() (string, planner.LSN, any) { return primaryName, planner.MaxLSN, nil })
	s, ok := pool.(*standby)
	if !ok {
		return false
	}
	if planner.ErrorCode(err) == planner.ENOTFOUND {
		return true
	}
	if !serverFailure(err) {
		return false
	}
	if s.up.Swap(false) {
		r.log.Warn("read standby out of rotation", "standby", s.name, "reason", err.Error())
	}
	return true
}

// serverFailure reports whether err is a lost or refused connection, a
// server shutting down, or a query cancelled by a standby's replay.
func serverFailure(err error) bool {
	var pqe *pq.Error
	if errors.As(err, &pqe) {
		if pqe.Code == "57014" {
			return false // query_canceled: the client's own cancellation or timeout
		}
		switch pqe.Code.Class() {
		case "08", "57": // connection exception; operator intervention (shutdown, cannot connect now)
			return true
		}
		return pqe.Code == "40001" // serialization failure: a recovery conflict on a standby
	}
	var ne net.Error
	var oe *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &ne) || errors.As(err, &oe)
}

// Close closes the standbys' pools (not the primary's).
func (r *ReadRouter) Close() error {
	var errs []error
	for _, s := range r.standbys {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// RouteReads sends the store's reads through r: each request's to the
// server its planner.ReadSession chose (the primary without one).
func (s *ScenarioStore) RouteReads(r *ReadRouter) { s.route = r }

// pool returns the pool ctx's reads use.
func (s *ScenarioStore) pool(ctx context.Context) *sql.DB {
	if s.route == nil {
		return s.db
	}
	db, _ := s.route.pick(ctx)
	return db
}

// RouteReads sends the store's reads through r (see ScenarioStore's), and
// keeps the feature cache exact across servers: a standby's answer is
// cached only when the standby had replayed the change that started the
// cache's generation, and a client's read after its own write uses the
// cache only when the generation started after that write.
func (s *FeatureStore) RouteReads(r *ReadRouter) { s.route = r }

// stmtKey keys a prepared statement by its pool and text.
type stmtKey struct {
	db   *sql.DB
	text string
}

// pool returns the pool ctx's reads use.
func (s *FeatureStore) pool(ctx context.Context) *sql.DB {
	if s.route == nil {
		return s.db
	}
	db, _ := s.route.pick(ctx)
	return db
}

// OpenReadRouter opens a pool of at most maxConns connections to each
// standby URL (without connecting yet: a standby that is down at start
// joins the rotation once its health check passes) and returns the
// router between them and primary, the pool reads fall back to. The
// standbys are named standby-1, standby-2, … in URL order.
func OpenReadRouter(primary *sql.DB, urls []string, maxConns int, cfg ReadRouterConfig, log *slog.Logger) (*ReadRouter, error) {
	var dbs []*sql.DB
	var names []string
	for i, u := range urls {
		db, err := sql.Open("postgres", u)
		if err != nil {
			for _, d := range dbs {
				d.Close()
			}
			return nil, planner.FieldErrorf("read-db", "standby %d: %v", i+1, err)
		}
		db.SetMaxOpenConns(maxConns)
		db.SetMaxIdleConns(maxConns)
		db.SetConnMaxLifetime(connMaxLifetime)
		db.SetConnMaxIdleTime(connMaxIdleTime)
		dbs = append(dbs, db)
		names = append(names, fmt.Sprintf("standby-%d", i+1))
	}
	return NewReadRouter(primary, dbs, names, cfg, log), nil
}
