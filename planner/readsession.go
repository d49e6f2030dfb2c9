package planner

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// LSN is a PostgreSQL write-ahead log position ("16/B374D848"): the
// primary's after a write, a hot standby's replayed one.
type LSN uint64

// MaxLSN is beyond every position: the primary's own reads see all writes.
const MaxLSN LSN = math.MaxUint64

// ParseLSN parses PostgreSQL's text form of a position, "X/Y" in hex.
func ParseLSN(s string) (LSN, error) {
	var hi, lo uint32
	var rest string
	if n, _ := fmt.Sscanf(s, "%X/%X%s", &hi, &lo, &rest); n != 2 {
		return 0, FieldErrorf("lsn", "%q is not a WAL position (like 16/B374D848)", s)
	}
	return LSN(hi)<<32 | LSN(lo), nil
}

// String writes the position as PostgreSQL does.
func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint32(l>>32), uint32(l)) }

// ReadSession routes the queries of one read request between the primary
// and its hot standbys (data.ReadRouter): every query of the request goes
// to the one server chosen by its first, so a request sees one snapshot
// source. The API creates one per GET and puts it in the request context.
type ReadSession struct {
	// After is the position of the client's last write (0: none): a
	// standby serves the request only once it has replayed it, so a
	// client reads its own writes.
	After LSN
	// PrimaryOnly sends the request to the primary (a retry after a
	// standby failed it).
	PrimaryOnly bool

	mu     sync.Mutex
	server string // "" until chosen
	seen   LSN    // the chosen server's replayed position; MaxLSN for the primary
	pool   any    // the router's handle of the chosen server
}

// Choose returns the session's server, calling choose to pick it on first
// use: its name, its replayed position and the router's handle.
func (rs *ReadSession) Choose(choose func() (server string, seen LSN, pool any)) (string, LSN, any) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.server == "" {
		rs.server, rs.seen, rs.pool = choose()
	}
	return rs.server, rs.seen, rs.pool
}

// Server names the server that served the request ("" if none yet).
func (rs *ReadSession) Server() string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.server
}

type readSessionKey struct{}

// WithReadSession returns ctx carrying rs.
func WithReadSession(ctx context.Context, rs *ReadSession) context.Context {
	return context.WithValue(ctx, readSessionKey{}, rs)
}

// ReadSessionFrom returns ctx's read session, or nil (queries then go to
// the primary).
func ReadSessionFrom(ctx context.Context) *ReadSession {
	rs, _ := ctx.Value(readSessionKey{}).(*ReadSession)
	return rs
}

// ReadRouter sends reads to hot standbys and writes to the primary (the
// API's side of data.ReadRouter).
type ReadRouter interface {
	// WritePosition returns the primary's current WAL position: after a
	// write, the position a standby must replay before the writer reads.
	WritePosition(ctx context.Context) (LSN, error)
	// Retryable reports whether a read that failed with err in session
	// rs may run again on the primary: err came from a standby (a lost
	// connection, a query cancelled by replay, or a missing row it may
	// not have replayed yet). A standby that failed is taken out of
	// rotation until its next good health check.
	Retryable(rs *ReadSession, err error) bool
}
