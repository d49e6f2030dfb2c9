package jobs

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"
)

// A worker holds a session-level advisory lock (lockSpace, lockKey(job))
// on a connection of its own while it works a job. PostgreSQL drops the
// lock with the session: when the worker's process dies (kill -9, a lost
// machine) or it is cut off from the database, the lock is gone within
// the TCP teardown, and the reaper (reaper.go) finds the job running with
// no lock held.

// lockKey maps a job id to the lock's second key, in 1…2³¹−1: never the
// queue bound's 0 nor the migrations' −1.
func lockKey(jobID int64) int32 { return int32(jobID%(1<<31-1)) + 1 }

const sqlTryLock = `SELECT pg_try_advisory_lock($1, $2)`

// errLockHeld: another worker holds the job's liveness lock.
var errLockHeld = errors.New("its liveness lock is held by another worker")

// liveness is the lock a worker holds on one job; a keeper takes it again
// on a new connection when the old one breaks (a database restart).
type liveness struct {
	db   *sql.DB
	key  int32
	mu   sync.Mutex
	conn *sql.Conn // nil while broken
	quit chan struct{}
	done chan struct{}
}

// holdLiveness takes job jobID's liveness lock and keeps it, checking the
// connection every interval, until release.
func holdLiveness(ctx context.Context, db *sql.DB, jobID int64, interval time.Duration) (*liveness, error) {
	l := &liveness{db: db, key: lockKey(jobID), quit: make(chan struct{}), done: make(chan struct{})}
	held, err := l.take(ctx)
	if err != nil {
		return nil, err
	}
	if !held {
		return nil, fmt.Errorf("job %d: %w", jobID, errLockHeld)
	}
	go l.keep(interval)
	return l, nil
}

// take opens a connection and tries the lock on it; the connection is
// kept only when the lock is taken.
func (l *liveness) take(ctx context.Context) (bool, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	var held bool
	if err := conn.QueryRowContext(ctx, sqlTryLock, lockSpace, l.key).Scan(&held); err != nil || !held {
		discard(conn)
		return false, err
	}
	l.mu.Lock()
	l.conn = conn
	l.mu.Unlock()
	return true, nil
}

// keep pings the lock's connection every interval and takes the lock
// again on a new one when it broke.
func (l *liveness) keep(interval time.Duration) {
	defer close(l.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-l.quit:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), interval)
		l.mu.Lock()
		conn := l.conn
		l.mu.Unlock()
		if conn != nil && conn.PingContext(ctx) != nil {
			discard(conn)
			l.mu.Lock()
			l.conn = nil
			l.mu.Unlock()
			conn = nil
		}
		if conn == nil {
			_, _ = l.take(ctx) // retried at the next tick until the database is back
		}
		cancel()
	}
}

// release drops the lock by closing its session.
func (l *liveness) release() {
	close(l.quit)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn != nil {
		discard(l.conn)
		l.conn = nil
	}
}

// discard closes conn's session instead of returning it to the pool, so a
// session lock never outlives its holder on a pooled connection.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}
