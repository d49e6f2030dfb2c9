package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pgBin is where Debian's PostgreSQL 15 server binaries live
// (postgresql-15-postgis-3, installed by scripts/deps.sh).
const pgBin = "/usr/lib/postgresql/15/bin"

// pgCluster is a private PostgreSQL cluster a test owns: its own data
// directory and port, so the test may stop and start it (an outage)
// without touching the cluster behind DATABASE_URL.
type pgCluster struct {
	t    *testing.T
	dir  string // data directory
	port int
	asPG bool // run the server binaries as the postgres user (the test runs as root)
}

// newPGCluster creates and starts a private cluster (initdb in a
// temporary directory, a free loopback port, trust authentication, fsync
// off) with a database "parkplan" holding the PostGIS extension; the
// cluster is stopped and removed when the test ends.
func newPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	root, err := os.MkdirTemp("", "parkplan-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	c := &pgCluster{t: t, dir: filepath.Join(root, "data"), port: freePort(t), asPG: os.Geteuid() == 0}
	if c.asPG {
		// initdb refuses to run as root: the cluster belongs to postgres.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	c.run("initdb", "-D", c.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	conf := fmt.Sprintf("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nfsync = off\nmax_connections = 100\n", c.port, root)
	f, err := os.OpenFile(filepath.Join(c.dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(conf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c.Start()
	t.Cleanup(func() {
		// It may be stopped already (a test that failed during an outage).
		_ = c.command("pg_ctl", "-D", c.dir, "stop", "-m", "immediate").Run()
	})
	db, err := sql.Open("postgres", c.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE parkplan"); err != nil {
		t.Fatal(err)
	}
	pdb, err := sql.Open("postgres", c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	if _, err := pdb.Exec("CREATE EXTENSION postgis"); err != nil {
		t.Fatal(err)
	}
	return c
}

// URL is the cluster's parkplan database.
func (c *pgCluster) URL() string { return c.url("parkplan") }

func (c *pgCluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Stop stops the cluster as an operator would for maintenance
// (pg_ctl stop -m fast: open sessions are terminated at once).
func (c *pgCluster) Stop() { c.pgctl("stop", "-m", "fast") }

// Start starts the cluster and waits until it accepts connections.
func (c *pgCluster) Start() {
	c.pgctl("start", "-w", "-t", "60", "-l", filepath.Join(filepath.Dir(c.dir), "server.log"))
}

// pgctl runs pg_ctl on the cluster.
func (c *pgCluster) pgctl(args ...string) {
	c.run("pg_ctl", append([]string{"-D", c.dir}, args...)...)
}

// command returns one of PostgreSQL's binaries as a command, run as
// postgres when the test is root.
func (c *pgCluster) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(pgBin, name)
	if c.asPG {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// run runs one of PostgreSQL's binaries; failing fails the test.
func (c *pgCluster) run(name string, args ...string) {
	c.t.Helper()
	if out, err := c.command(name, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// serveProcess is `parkplan serve` running as a subprocess of the test.
type serveProcess struct {
	url  string
	cmd  *exec.Cmd
	logs *lockedBuffer
}

// buildParkplan builds the real binary into a temporary directory.
func buildParkplan(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "parkplan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startServe starts `bin serve --addr 127.0.0.1:0 args…` and waits for
// the URL it prints; the process is killed when the test ends if it is
// still running.
func startServe(t *testing.T, bin string, args ...string) *serveProcess {
	t.Helper()
	return startServeEnv(t, bin, nil, args...)
}

// startServeEnv is startServe with extra environment variables (NAME=value)
// on top of the test's own.
func startServeEnv(t *testing.T, bin string, env []string, args ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	p := &serveProcess{cmd: cmd, logs: &lockedBuffer{}}
	cmd.Stderr = p.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.logs.String())
		}
	})
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "parkplan: serving on "); ok {
				urlc <- u
			}
		}
	}()
	select {
	case p.url = <-urlc:
	case <-time.After(60 * time.Second):
		t.Fatalf("parkplan serve did not start: %s", p.logs.String())
	}
	return p
}
