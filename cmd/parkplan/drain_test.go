package main

import (
	"bufio"
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// drainParcels makes the parcels layer about 17 MB of GeoJSON: more than
// loopback's socket buffers hold, so a client that stops reading keeps
// the download's handler busy.
const drainParcels = 40000

// TestServeSIGTERMDuringSlowDownload is issue 10's finding 10: the real
// binary, SIGTERM while a client downloads a whole layer and has stopped
// reading. The server waits out its shutdown timeout, closes the stuck
// connection, and exits 0 as docs/api.md says (it exited 1 when the drain
// ran out).
func TestServeSIGTERMDuringSlowDownload(t *testing.T) {
	t.Parallel() // a subprocess with its own database
	dbURL := postgisTestDB(t, "drain")
	cfg := filepath.Join(t.TempDir(), "serve.yaml")
	if err := os.WriteFile(cfg, []byte("api:\n  shutdown_timeout: 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, buildParkplan(t), "--db", dbURL, "--config", cfg, "--feature-cache-mb", "0", "--access-log=false")
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := os.ReadFile("../../scripts/bench-api.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(strings.ReplaceAll(string(b), "{{parcels}}", strconv.Itoa(drainParcels))); err != nil {
		t.Fatalf("loading the synthetic county: %v", err)
	}

	// A client with a 4 KiB receive buffer reads the status line, then stops.
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		}); err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /layers/parcels.geojson HTTP/1.1\r\nHost: test\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("download: %q %v", status, err)
	}
	time.Sleep(500 * time.Millisecond) // the handler fills the buffers and blocks

	start := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM during a download: %v (want exit 0)", err)
		}
		if took := time.Since(start); took < time.Second {
			t.Errorf("serve stopped after %v, before its 1 s shutdown timeout: the download was not stuck", took)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of SIGTERM")
	}
	if logs := srv.logs.String(); !strings.Contains(logs, "shutdown timeout passed with requests in flight") {
		t.Errorf("the log does not say the drain cut a request:\n%s", logs)
	}
}
