package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkplan/parkplan/planner/dataset"
	"github.com/parkplan/parkplan/planner/plantest"
)

// chaosRoutes are the database routes the outage test requests in turn:
// OGC pages and features, collection documents, a whole layer, the
// scenario list, and readiness; "auth:" routes carry a reviewer's token
// (checked in the database unless cached).
var chaosRoutes = []string{
	"/collections",
	"/collections/parcels",
	"/collections/parcels/items?limit=5",
	"/collections/parcels/items?limit=5&offset=5&crs=http://www.opengis.net/def/crs/EPSG/0/4549",
	"/collections/enterprises/items?limit=20",
	"/collections/towns/items",
	"/layers/towns.geojson",
	"/scenarios",
	"/readyz",
	"auth:/scenarios",
	"auth:/collections/parcels/items?limit=3",
}

// chaosTally counts the answers of one phase of the outage test.
type chaosTally struct {
	mu       sync.Mutex
	statuses map[int]int
	bad      []string // answers that are neither 2xx nor a proper 503
	failed   []string // route and status of every answer that is not 2xx
}

func (ct *chaosTally) add(route string, res *http.Response, body []byte, err error) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if err != nil {
		ct.bad = append(ct.bad, fmt.Sprintf("%s: %v", route, err))
		return
	}
	ct.statuses[res.StatusCode]++
	if res.StatusCode/100 != 2 {
		ct.failed = append(ct.failed, fmt.Sprintf("%s: %d %.200s", route, res.StatusCode, body))
	}
	switch {
	case res.StatusCode >= 200 && res.StatusCode < 300:
	case res.StatusCode == http.StatusServiceUnavailable:
		var p struct {
			Code string `json:"code"`
		}
		if res.Header.Get("Retry-After") == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") ||
			json.Unmarshal(body, &p) != nil || p.Code != "unavailable" {
			ct.bad = append(ct.bad, fmt.Sprintf("%s: 503 without Retry-After or problem code unavailable: %v %s", route, res.Header, body))
		}
	default:
		ct.bad = append(ct.bad, fmt.Sprintf("%s: %d %s", route, res.StatusCode, body))
	}
}

func (ct *chaosTally) String() string {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	var codes []int
	for c := range ct.statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var b strings.Builder
	for _, c := range codes {
		fmt.Fprintf(&b, "%d×%d ", c, ct.statuses[c])
	}
	return b.String()
}

// TestChaosDatabaseRestart runs the real server on a private PostgreSQL
// cluster and restarts the cluster (pg_ctl stop -m fast, then start)
// under HTTP load from 12 clients: every answer is 2xx or a 503
// problem+json with Retry-After (never 500), /healthz stays 200 while
// /readyz says 503, and once PostgreSQL is back every route answers 2xx
// again without restarting the server.
func TestChaosDatabaseRestart(t *testing.T) {
	t.Parallel() // its own cluster and process
	pg := newPGCluster(t)
	dir := t.TempDir()
	if err := dataset.WriteDir(plantest.Dataset(svcDatasetSeed, plantest.Small()), filepath.Join(dir, "ds")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI("import", filepath.Join(dir, "ds"), "--db", pg.URL()); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	bin := buildParkplan(t)
	// Without the feature cache every page goes to the database; with it
	// (the default) its notification connection is lost and re-made too.
	reviewer := svcToken(t, pg.URL(), "reviewer")
	t.Run("feature cache off", func(t *testing.T) { chaosRestart(t, pg, bin, reviewer, "--feature-cache-mb", "0") })
	t.Run("feature cache on", func(t *testing.T) { chaosRestart(t, pg, bin, reviewer) })
}

// chaosRestart runs one server with args on pg's database and restarts
// pg under load; see TestChaosDatabaseRestart.
func chaosRestart(t *testing.T, pg *pgCluster, bin, token string, args ...string) {
	srv := startServe(t, bin, append([]string{"--db", pg.URL(), "--access-log=false", "--db-max-conns", "8"}, args...)...)

	client := &http.Client{Timeout: 30 * time.Second}
	get := func(route string) (*http.Response, []byte, error) {
		path, auth := strings.CutPrefix(route, "auth:")
		req, err := http.NewRequest(http.MethodGet, srv.url+path, nil)
		if err != nil {
			return nil, nil, err
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return res, body, err
	}

	// phase is the tally the load writes to; the test swaps it between
	// before, during and after the outage.
	var phase atomic.Pointer[chaosTally]
	newTally := func() *chaosTally { return &chaosTally{statuses: map[int]int{}} }
	before := newTally()
	phase.Store(before)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 12; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				route := chaosRoutes[i%len(chaosRoutes)]
				// An answer counts in the phase its request was sent in:
				// a request sent during the outage may finish after it.
				tally := phase.Load()
				res, body, err := get(route)
				tally.add(route, res, body, err)
			}
		}(w)
	}
	time.Sleep(time.Second)

	during := newTally()
	phase.Store(during)
	pg.Stop()
	// While PostgreSQL is down: liveness holds, readiness does not.
	if res, _, err := get("/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("/healthz during the outage: %v %v", res, err)
	}
	if res, body, err := get("/readyz"); err != nil || res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("/readyz during the outage: %v %s %v", res, body, err)
	}
	time.Sleep(time.Second)
	pg.Start()

	// Recovery: readiness comes back by itself within the pool's reconnects.
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, _, err := get("/readyz")
		if err == nil && res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not ready 20 s after PostgreSQL came back: %v %v", res, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Connections broken by the restart are found and replaced as they
	// are used; give the pool a moment, then every answer must be 2xx.
	time.Sleep(500 * time.Millisecond)
	after := newTally()
	phase.Store(after)
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()

	t.Logf("answers before %s; during the restart %s; after %s", before, during, after)
	for name, tally := range map[string]*chaosTally{"before": before, "during": during, "after": after} {
		for _, b := range tally.bad {
			t.Errorf("%s the restart: %s", name, b)
		}
	}
	if during.statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no 503 while PostgreSQL was down (%s): the outage was not exercised", during)
	}
	for code, n := range after.statuses {
		if code/100 != 2 {
			t.Errorf("after recovery: %d answers of %d: %s", n, code, strings.Join(after.failed, "; "))
		}
	}
	if before.statuses[http.StatusOK] == 0 || after.statuses[http.StatusOK] == 0 {
		t.Errorf("no 200 before (%s) or after (%s) the outage", before, after)
	}
	if strings.Contains(srv.logs.String(), "internal error") {
		t.Errorf("the server logged internal errors")
	}
}
