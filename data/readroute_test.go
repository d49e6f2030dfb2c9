package data

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner"
)

func TestServerFailure(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"admin shutdown", &pq.Error{Code: "57P01"}, true},
		{"cannot connect now", fmt.Errorf("data: reading: %w", &pq.Error{Code: "57P03"}), true},
		{"connection failure", &pq.Error{Code: "08006"}, true},
		{"recovery conflict", &pq.Error{Code: "40001"}, true},
		{"bad connection", driver.ErrBadConn, true},
		{"connection closed", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true},
		{"refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{"missing table", &pq.Error{Code: "42P01"}, false},
		{"bad value", planner.FieldErrorf("query.limit", "too big"), false},
		{"cancelled by the client", context.Canceled, false},
		{"statement cancelled (client gone, timeout)", &pq.Error{Code: "57014"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := serverFailure(tc.err); got != tc.want {
				t.Errorf("serverFailure(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

// TestReadRouterBehind checks the lag rule: a standby is late when it has
// not replayed what the primary had written MaxLag ago.
func TestReadRouterBehind(t *testing.T) {
	r := NewReadRouter(nil, nil, nil, ReadRouterConfig{MaxLag: 5 * time.Second}, nil)
	now := time.Now()
	r.history = []lsnSample{{now.Add(-8 * time.Second), 100}, {now.Add(-6 * time.Second), 200}, {now.Add(-2 * time.Second), 900}}
	for _, tc := range []struct {
		name   string
		lsn    planner.LSN
		behind bool
	}{
		{"replayed what was written 6 s ago", 200, false},
		{"replayed more", 500, false},
		{"still before what was written 6 s ago", 199, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, got := r.behind(tc.lsn, now); got != tc.behind {
				t.Errorf("behind(%v) = %v, want %v", tc.lsn, got, tc.behind)
			}
		})
	}
	young := NewReadRouter(nil, nil, nil, ReadRouterConfig{MaxLag: 5 * time.Second}, nil)
	young.history = []lsnSample{{now.Add(-time.Second), 900}}
	if _, late := young.behind(0, now); late {
		t.Error("a standby is late before the primary has a position MaxLag old")
	}
}
