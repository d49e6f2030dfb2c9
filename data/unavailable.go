package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

// SQLSTATEs that mean the server is going away or not accepting
// connections, rather than that the statement was wrong (PostgreSQL
// appendix A): class 08 is handled as a whole.
var unavailableStates = map[string]bool{
	"57P01": true, // admin_shutdown: pg_ctl stop -m fast
	"57P02": true, // crash_shutdown
	"57P03": true, // cannot_connect_now: starting up or shutting down
	"53300": true, // too_many_connections
}

// IsUnavailable reports whether err means the database could not be
// reached or dropped the connection: a refused or reset connection, a
// connection the driver found broken (database/sql gave up retrying), or
// PostgreSQL shutting down, starting up or out of connections. Such an
// error says nothing about the request; the same request may succeed once
// the database is back.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, planner.ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code.Class() == "08" || unavailableStates[string(pe.Code)]
	}
	var ne *net.OpError
	return errors.As(err, &ne)
}

// Unavailable returns err wrapped with planner.ErrUnavailable when
// IsUnavailable(err), else err unchanged; the driver's error stays in the
// chain for the log.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, planner.ErrUnavailable) || !IsUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", planner.ErrUnavailable, err)
}

// ReadyTimeout bounds Ready: a load balancer's probe wants a quick answer,
// and a database that takes longer than this to answer a ping is not
// ready to serve pages either.
const ReadyTimeout = 2 * time.Second

// Ready reports whether the database answers a round trip within
// ReadyTimeout; a failure wraps planner.ErrUnavailable.
func (db *DB) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	var one int
	if err := db.sql.QueryRowContext(ctx, "select 1").Scan(&one); err != nil {
		return fmt.Errorf("%w: %w", planner.ErrUnavailable, err)
	}
	return nil
}
