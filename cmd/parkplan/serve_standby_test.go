package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkplan/parkplan/data"
	"github.com/parkplan/parkplan/planner"
)

// standbyCluster is a hot standby of the private cluster that
// DATABASE_URL names, made by `scripts/db.sh standby` on a free port.
type standbyCluster struct {
	port string
	env  []string
}

// newStandby makes and starts the standby; it is removed when the test ends.
func newStandby(t *testing.T) *standbyCluster {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	sb := &standbyCluster{port: port, env: append(os.Environ(), "PARKPLAN_STANDBY_PORT="+port)}
	t.Cleanup(func() { sb.db(t, "remove") })
	sb.db(t, "start")
	return sb
}

// db runs `scripts/db.sh standby CMD`.
func (sb *standbyCluster) db(t *testing.T, cmd string) {
	t.Helper()
	c := exec.Command("../../scripts/db.sh", "standby", cmd)
	c.Env = sb.env
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("scripts/db.sh standby %s: %v\n%s\n(the test needs DATABASE_URL to be scripts/db.sh's private cluster, as `make test` sets it)", cmd, err, out)
	}
}

// url returns dbURL (a database on the primary) on the standby.
func (sb *standbyCluster) url(t *testing.T, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "127.0.0.1:" + sb.port
	return u.String()
}

// readResult is one GET's status and the server that answered it.
type readResult struct {
	status int
	server string
}

// read GETs path with optional headers.
func (e *ogcEnv) read(t *testing.T, path string, hdr ...string) readResult {
	r := e.get(t, path, hdr...)
	return readResult{r.status, r.header.Get("Parkplan-Read-Server")}
}

// TestServeReadsFromStandby runs `parkplan serve --read-db` against a hot
// standby of the primary (two private clusters): reads go to the standby,
// a client reads its own writes, a standby that lags or stops is out of
// rotation with reads served by the primary (no 5xx but 503), and reads
// return to it once it is back.
func TestServeReadsFromStandby(t *testing.T) {
	sb := newStandby(t)
	var standbyURL string
	env := newOGCEnvArgs(t, ogcParcels, func(dbURL string) []string {
		standbyURL = sb.url(t, dbURL)
		return []string{"--read-db", standbyURL, "--read-check-every", "200ms", "--read-max-lag", "1s", "--feature-cache-mb", "0"}
	})
	sdb, err := sql.Open("postgres", standbyURL)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	ctx := context.Background()
	planTok, _, err := data.NewTokenStore(env.db).CreateToken(ctx, planner.Role("planner"), "standby-test")
	if err != nil {
		t.Fatal(err)
	}
	waitServer := func(path, want string, limit time.Duration) {
		t.Helper()
		deadline := time.Now().Add(limit)
		var r readResult
		for time.Now().Before(deadline) {
			if r = env.read(t, path); r.status == 200 && r.server == want {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("GET %s: still %d from %q after %v, want 200 from %s", path, r.status, r.server, limit, want)
	}
	const page = "/collections/parcels/items?limit=50"
	waitServer(page, "standby-1", 60*time.Second)

	t.Run("read your writes", func(t *testing.T) {
		// Pause the standby's replay: it stays in rotation until the lag
		// limit (1 s), but has not replayed the publication below.
		if _, err := sdb.Exec(`select pg_wal_replay_pause()`); err != nil {
			t.Fatal(err)
		}
		defer sdb.Exec(`select pg_wal_replay_resume()`)
		req, _ := http.NewRequest(http.MethodPost, env.url+"/scenarios/draft/publish", nil)
		req.Header.Set("Authorization", "Bearer "+planTok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		lsn := res.Header.Get("Parkplan-Lsn")
		var cookie *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "parkplan_lsn" {
				cookie = c
			}
		}
		if res.StatusCode != 200 || lsn == "" || cookie == nil || cookie.Value != lsn {
			t.Fatalf("publish: %d, Parkplan-Lsn %q, cookie %v", res.StatusCode, lsn, cookie)
		}
		rev := []string{"Authorization", "Bearer " + env.reviewer}
		// The writer (header or cookie): the primary, published.
		for name, hdr := range map[string][]string{"header": {"Parkplan-Lsn", lsn}, "cookie": {"Cookie", "parkplan_lsn=" + lsn}} {
			r := env.get(t, "/scenarios/draft", append(rev, hdr...)...)
			if r.status != 200 || r.header.Get("Parkplan-Read-Server") != "primary" || r.json(t)["published"] != true {
				t.Errorf("the writer's read (%s): %d from %q, published %v; want the primary's published scenario",
					name, r.status, r.header.Get("Parkplan-Read-Server"), r.json(t)["published"])
			}
		}
		// Another client reads the paused standby: the older state.
		if r := env.get(t, "/scenarios/draft", rev...); r.header.Get("Parkplan-Read-Server") != "standby-1" || r.json(t)["published"] != false {
			t.Errorf("another client's read: %d from %q, published %v; want the standby's unpublished scenario",
				r.status, r.header.Get("Parkplan-Read-Server"), r.json(t)["published"])
		}
		// A layer the standby has not replayed yet is not a 404: the read
		// is retried on the primary.
		if r := env.read(t, "/collections/draft.parks/items"); r.status != 200 || r.server != "primary" {
			t.Errorf("the new public layer from a lagging standby: %d from %q, want 200 from the primary", r.status, r.server)
		}
		// Writes go on; past the lag limit the paused standby is out of rotation.
		if _, err := env.db.Exec(`create table standby_lag_probe (n int); drop table standby_lag_probe`); err != nil {
			t.Fatal(err)
		}
		waitServer(page, "primary", 15*time.Second)
		if _, err := sdb.Exec(`select pg_wal_replay_resume()`); err != nil {
			t.Fatal(err)
		}
		waitServer(page, "standby-1", 30*time.Second)
	})

	t.Run("standby stopped and started under load", func(t *testing.T) {
		paths := []string{page, "/collections/parcels/items/P000200", "/collections/parcels",
			"/collections/base.parks/items", "/collections/parcels/tiles/WebMercatorQuad/14/6826/13653", "/scenarios"}
		var (
			mu       sync.Mutex
			byStatus = map[int]int{}
			byServer = map[string]int{}
			bad      []string
			phase    atomic.Int32 // 0 before the stop, 1 stopped, 2 started again
			after    [3]map[string]int
		)
		for i := range after {
			after[i] = map[string]int{}
		}
		client := &http.Client{Timeout: 30 * time.Second}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest(http.MethodGet, env.url+paths[i%len(paths)], nil)
					req.Header.Set("Authorization", "Bearer "+env.reviewer)
					res, err := client.Do(req)
					mu.Lock()
					if err != nil {
						bad = append(bad, err.Error())
					} else {
						res.Body.Close()
						byStatus[res.StatusCode]++
						srv := res.Header.Get("Parkplan-Read-Server")
						byServer[srv]++
						after[phase.Load()][srv]++
						if res.StatusCode >= 500 && res.StatusCode != 503 || res.StatusCode >= 400 && res.StatusCode < 500 {
							bad = append(bad, fmt.Sprintf("GET %s: %d", paths[i%len(paths)], res.StatusCode))
						}
					}
					mu.Unlock()
				}
			}()
		}
		time.Sleep(2 * time.Second)
		phase.Store(1)
		sb.db(t, "stop")
		time.Sleep(3 * time.Second)
		phase.Store(2)
		sb.db(t, "start")
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			n := after[2]["standby-1"]
			mu.Unlock()
			if n >= 20 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		t.Logf("statuses %v; servers %v; before the stop %v, while stopped %v, after the start %v", byStatus, byServer, after[0], after[1], after[2])
		if len(bad) > 0 {
			t.Errorf("%d failed reads (only 503 may fail): %v", len(bad), bad[:min(10, len(bad))])
		}
		if after[0]["standby-1"] == 0 || after[1]["primary"] < 20 || after[2]["standby-1"] < 20 {
			t.Errorf("reads by server: before the stop %v, while stopped %v, after the start %v; want the standby, the primary, the standby again",
				after[0], after[1], after[2])
		}
		if byStatus[200] == 0 {
			t.Errorf("no read succeeded: %v", byStatus)
		}
	})

	t.Run("feature cache with a standby", func(t *testing.T) {
		var sURL string
		cenv := newOGCEnvArgs(t, ogcParcels, func(dbURL string) []string {
			sURL = sb.url(t, dbURL)
			return []string{"--read-db", sURL, "--read-check-every", "200ms", "--read-max-lag", "30s"}
		})
		cdb, err := sql.Open("postgres", sURL)
		if err != nil {
			t.Fatal(err)
		}
		defer cdb.Close()
		// A box around a parcel added below, outside the grid.
		const box = "/collections/parcels/items?bbox=121.5,30.5,121.6,30.6"
		deadline := time.Now().Add(60 * time.Second)
		for cenv.read(t, box).server != "standby-1" {
			if time.Now().After(deadline) {
				t.Fatal("the standby never served the box")
			}
			time.Sleep(100 * time.Millisecond)
		}
		if _, err := cdb.Exec(`select pg_wal_replay_pause()`); err != nil {
			t.Fatal(err)
		}
		defer cdb.Exec(`select pg_wal_replay_resume()`)
		// A change on the primary starts a new cache generation the paused
		// standby has not replayed: its answers (without the parcel) are
		// served to other clients but never cached.
		if _, err := cenv.db.Exec(`insert into parcel (id, town, kind, name, area_mu, far, cost_wan, floor_m2, firms, geom)
			values ('PNEW', 't0', 'new_land', 'added', 10, 2, 100, 0, 0, ST_Multi(ST_MakeEnvelope(121.55, 30.55, 121.56, 30.56, 4490)))`); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // the notification reaches the server
		for i := range 3 {
			r := cenv.get(t, box)
			if srv := r.header.Get("Parkplan-Read-Server"); r.status != 200 || srv != "standby-1" || strings.Contains(string(r.body), "PNEW") {
				t.Fatalf("read %d while the standby lags: %d from %q (a cached answer names no server), PNEW in it: %v",
					i+1, r.status, srv, strings.Contains(string(r.body), "PNEW"))
			}
		}
		if _, err := cdb.Exec(`select pg_wal_replay_resume()`); err != nil {
			t.Fatal(err)
		}
		// Caught up: its answer has the parcel and is cached (the next
		// read runs no query, so names no server).
		deadline = time.Now().Add(30 * time.Second)
		for {
			r := cenv.get(t, box)
			if strings.Contains(string(r.body), "PNEW") && r.header.Get("Parkplan-Read-Server") == "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after the standby caught up: %d from %q, PNEW in it: %v", r.status, r.header.Get("Parkplan-Read-Server"), strings.Contains(string(r.body), "PNEW"))
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}
