package data_test

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"strconv"
	"testing"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// TestIsUnavailable classifies real driver errors: a refused connection
// and a session the server terminated are outages (503 upstream); a bad
// statement, a constraint, no rows and a cancelled request are not.
func TestIsUnavailable(t *testing.T) {
	db, url := newTestDB(t)
	ctx := context.Background()

	// A port nothing listens on: the dial is refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, refused := data.Open(ctx, "postgres://postgres@127.0.0.1:"+strconv.Itoa(port)+"/x?sslmode=disable&connect_timeout=2")

	// A session the server terminates (as pg_ctl stop -m fast does to every
	// session): its next statement fails.
	one, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	one.SetMaxOpenConns(1)
	conn, err := one.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if err := conn.QueryRowContext(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "select pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	_, terminated := conn.ExecContext(ctx, "select 1")
	conn.Close()

	_, syntax := db.SQL().ExecContext(ctx, "selec 1")
	_, dup := db.SQL().ExecContext(ctx, "create temp table u (x int primary key); insert into u values (1), (1)")
	noRows := db.SQL().QueryRowContext(ctx, "select 1 where false").Scan(new(int))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, cancelled := db.SQL().ExecContext(cctx, "select pg_sleep(1)")

	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"session terminated by the server", terminated, true},
		{"sentinel", planner.ErrUnavailable, true},
		{"syntax error", syntax, false},
		{"unique violation", dup, false},
		{"no rows", noRows, false},
		{"cancelled request", cancelled, false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want && tc.err == nil {
				t.Fatal("the case produced no error")
			}
			if got := data.IsUnavailable(tc.err); got != tc.want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", tc.err, got, tc.want)
			}
			wrapped := data.Unavailable(tc.err)
			if got := errors.Is(wrapped, planner.ErrUnavailable); got != tc.want {
				t.Errorf("Unavailable(%v) wraps ErrUnavailable: %v, want %v", tc.err, got, tc.want)
			}
			if tc.err != nil && !errors.Is(wrapped, tc.err) {
				t.Errorf("Unavailable(%v) lost the driver's error", tc.err)
			}
		})
	}

	if err := db.Ready(ctx); err != nil {
		t.Errorf("Ready on a live database: %v", err)
	}
}
