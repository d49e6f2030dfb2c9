package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"

	_ "github.com/lib/pq"
)

// The map page test (issue 6) drives Debian's chromium through chromedp
// against a real parkplan: a throwaway PostGIS database loaded with the
// demo dataset by the import command, two scenarios solved by the server's
// job runner, and `parkplan serve` on loopback. It checks what a planner
// sees: no console errors, the parks on the map, the KPI table against the
// API's numbers, a park's details and why a parcel was left out, a run
// started from the page, and a non-blank screenshot in out/test/.

// webChromium is Debian's chromium (scripts/deps.sh installs it).
const webChromium = "/usr/bin/chromium"

// webOutDir is where the screenshot and the timing record go (git-ignored).
const webOutDir = "../../out/test"

// webScenarioA and webScenarioB are the scenario files the test solves and compares.
const (
	webScenarioA = "../../scenarios/baseline.yaml"
	webScenarioB = "../../scenarios/tight-quota.yaml"
)

// webSolveLimit caps each test solve (the server's job runner stops there
// with the best plan found): the page test needs plans, not optimal ones.
const webSolveLimit = "5s"

// Screenshot checks: a drawn map has many colours and few white pixels.
const (
	webMinColours      = 24   // distinct RGB colours in the screenshot
	webMinInkFraction  = 0.20 // share of pixels that are not (near) white
	webNearWhiteCutoff = 245  // a pixel with R, G and B all ≥ this counts as white
)

func TestMapPageInBrowser(t *testing.T) {
	if _, err := os.Stat(webChromium); err != nil {
		t.Fatalf("chromium is needed at %s (Debian package chromium; scripts/deps.sh installs it): %v", webChromium, err)
	}
	env := newWebEnv(t)
	a := env.createScenario(t, webScenarioA, "")
	b := env.createScenario(t, webScenarioB, "")
	env.waitDone(t, a)
	env.waitDone(t, b)

	parksA := env.layerIDs(t, a, "parks", "parcel_id")
	parksB := env.layerIDs(t, b, "parks", "parcel_id")
	if len(parksA) == 0 || len(parksB) == 0 {
		t.Fatalf("the API has %d parks in %s and %d in %s; the test needs plans with parks", len(parksA), a, len(parksB), b)
	}

	br := newWebBrowser(t)
	page := env.url + "/"
	if err := chromedp.Do(br.ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(page)); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	br.waitJS(t, `window.parkplan && window.parkplan.ready()`, 60*time.Second)

	t.Run("loads scenario A with its parks", func(t *testing.T) {
		var sel struct{ A, B string }
		br.eval(t, `(() => { const s = window.parkplan.selected(); return {A: s.a, B: s.b}; })()`, &sel)
		if sel.A != a {
			t.Fatalf("scenario A on load is %q, want %q (the baseline)", sel.A, a)
		}
		counts := br.counts(t)
		if counts["parks"] != len(parksA) {
			t.Errorf("map holds %d park features, the API's %s parks layer %d", counts["parks"], a, len(parksA))
		}
		for _, l := range []string{"towns", "parcels", "protected"} {
			if want := env.baseCount(t, l); counts[l] != want {
				t.Errorf("map holds %d %s features, the API %d", counts[l], l, want)
			}
		}
	})

	t.Run("Chinese renders with a CJK font", func(t *testing.T) {
		// The header's 小微企业园 uses the same font list as the town labels
		// on the map canvas; chromium reports which platform fonts drew it.
		fonts := br.platformFonts(t, "header h1 small")
		cjk := regexp.MustCompile(`(?i)CJK|WenQuanYi|Han Sans|Hei|Song|Ming`)
		var drew float64
		for _, f := range fonts {
			if cjk.MatchString(f.FamilyName) {
				drew += f.GlyphCount
			}
		}
		for _, f := range fonts {
			t.Logf("font %q drew %.0f glyphs", f.FamilyName, f.GlyphCount)
		}
		if drew < 5 {
			t.Errorf("no CJK font drew the Chinese text (fonts used: %+v); install fonts-noto-cjk", fonts)
		}
	})

	t.Run("choosing B shows the API's KPIs", func(t *testing.T) {
		br.eval(t, fmt.Sprintf(`(() => { const s = document.getElementById('pick-b'); s.value = %q; s.dispatchEvent(new Event('change')); return true; })()`, b), nil)
		br.waitJS(t, fmt.Sprintf(`document.querySelector('#kpi-table td[data-scenario=%q]') !== null`, b), 30*time.Second)
		var cmp struct {
			Scenarios []struct{ ID string }
			KPIs      []struct {
				Key    string
				Values []*float64
			}
		}
		env.getJSON(t, "/scenarios/compare?ids="+url.QueryEscape(a+","+b), &cmp)
		var cells []struct {
			KPI, Scenario string
			Value         *float64
		}
		br.eval(t, `[...document.querySelectorAll('#kpi-table td[data-kpi]')].map((td) => ({KPI: td.dataset.kpi, Scenario: td.dataset.scenario, Value: td.dataset.value === undefined ? null : Number(td.dataset.value)}))`, &cells)
		shown := map[string]*float64{}
		for _, c := range cells {
			shown[c.KPI+"/"+c.Scenario] = c.Value
		}
		if len(cmp.KPIs) == 0 {
			t.Fatal("the API's comparison has no KPI rows")
		}
		for _, row := range cmp.KPIs {
			for i, v := range row.Values {
				id := cmp.Scenarios[i].ID
				got, ok := shown[row.Key+"/"+id]
				switch {
				case !ok:
					t.Errorf("KPI %s of %s is not in the table", row.Key, id)
				case (v == nil) != (got == nil):
					t.Errorf("KPI %s of %s: page %v, API %v", row.Key, id, got, v)
				case v != nil && math.Abs(*got-*v) > 1e-9*math.Max(1, math.Abs(*v)):
					t.Errorf("KPI %s of %s: page %v, API %v", row.Key, id, *got, *v)
				}
			}
		}
		var charts int
		br.eval(t, `document.querySelectorAll('#compare svg.chart').length`, &charts)
		if charts != 2 {
			t.Errorf("%d charts in the comparison, want 2 (parks by year, quota per town)", charts)
		}
		var diff map[string]int
		br.eval(t, `window.parkplan.diff()`, &diff)
		want := webParkDiff(parksA, parksB)
		for _, k := range []string{"added", "removed"} {
			if diff[k] != want[k] {
				t.Errorf("%s parks A→B on the page %d, from the API's parks layers %d", k, diff[k], want[k])
			}
		}
		// The server's difference layer must tell the same story.
		br.waitJS(t, `window.parkplan.serverDiff() !== null`, 30*time.Second)
		var server struct{ Parks, Firms map[string]int }
		br.eval(t, `window.parkplan.serverDiff()`, &server)
		if server.Parks == nil {
			t.Fatal("the page did not load the server's difference layer")
		}
		for _, k := range []string{"added", "removed", "respecialised"} {
			if diff[k] != server.Parks[k] {
				t.Errorf("%s parks A→B on the page %d, in /scenarios/compare/diff.geojson %d", k, diff[k], server.Parks[k])
			}
		}
	})

	t.Run("side by side draws B's parks beside A's", func(t *testing.T) {
		br.eval(t, `window.parkplan.split(true)`, nil)
		br.waitJS(t, `window.parkplan.countsB() !== null && window.parkplan.countsB().parks > 0`, 15*time.Second)
		var a, b map[string]int
		br.eval(t, `window.parkplan.counts()`, &a)
		br.eval(t, `window.parkplan.countsB()`, &b)
		if a["parks"] != len(parksA) || b["parks"] != len(parksB) {
			t.Errorf("side by side: %d parks left and %d right, want A's %d and B's %d", a["parks"], b["parks"], len(parksA), len(parksB))
		}
		br.screenshot(t, "map-side-by-side.png")
		br.eval(t, `window.parkplan.split(false)`, nil)
		br.waitJS(t, `window.parkplan.countsB() === null`, 15*time.Second)
	})

	t.Run("firm lines and unplaced firms on demand", func(t *testing.T) {
		lines, out := len(env.layer(t, a, "assignments")), len(env.layer(t, a, "unplaced"))
		br.eval(t, `(document.getElementById('show-lines').click(), document.getElementById('show-unplaced').click(), true)`, nil)
		br.waitJS(t, fmt.Sprintf(`window.parkplan.counts().assignments === %d && window.parkplan.counts().unplaced === %d`, lines, out), 30*time.Second)
		br.eval(t, `(document.getElementById('show-lines').click(), document.getElementById('show-unplaced').click(), true)`, nil)
		br.waitJS(t, `window.parkplan.counts().assignments === 0 && window.parkplan.counts().unplaced === 0`, 30*time.Second)
	})

	t.Run("clicking a park opens its details", func(t *testing.T) {
		park := parksA[len(parksA)/2]
		br.click(t, "parks", park)
		br.waitJS(t, fmt.Sprintf(`document.querySelector('.park-details[data-park=%q]') !== null`, park), 15*time.Second)
		var text string
		br.eval(t, `document.querySelector('.park-details').innerText`, &text)
		for _, want := range []string{"tier", "specialty + related, of firms", "small/micro, of firms", "Facilities the tier requires"} {
			if !strings.Contains(text, want) {
				t.Errorf("park details lack %q:\n%s", want, text)
			}
		}
	})

	t.Run("parks coloured by rating, with their card and trend", func(t *testing.T) {
		br.eval(t, `(() => { const y = document.getElementById('eval-year'); y.value = '2021'; document.getElementById('show-eval').click(); return y.options.length; })()`, nil)
		br.waitJS(t, `window.parkplan.counts().evaluation === 15`, 30*time.Second)
		var legend string
		br.eval(t, `document.getElementById('legend').innerText`, &legend)
		for _, want := range []string{"evaluation 2021", "excellent", "fail"} {
			if !strings.Contains(legend, want) {
				t.Errorf("legend lacks %q:\n%s", want, legend)
			}
		}
		br.click(t, "evaluation", "baishalu-E01")
		br.waitJS(t, `document.querySelector('.eval-details[data-park="baishalu-E01"]') !== null`, 15*time.Second)
		var text string
		br.eval(t, `document.querySelector('.eval-details').innerText`, &text)
		for _, want := range []string{"fail", "ruleSpecialtyShare", "ruleTierFacilities", "2020", "2021", "trend down", "not an official standard"} {
			if !strings.Contains(text, want) {
				t.Errorf("evaluation card lacks %q:\n%s", want, text)
			}
		}
		var bad int
		br.eval(t, `document.querySelectorAll('.eval-details tr.bad').length`, &bad)
		if bad != 3 { // both specialty shares and the facilities
			t.Errorf("%d indicators marked against their rule, want 3:\n%s", bad, text)
		}
		br.eval(t, `(document.getElementById('show-eval').click(), true)`, nil)
		br.waitJS(t, `window.parkplan.counts().evaluation === 0`, 15*time.Second)
	})

	t.Run("clicking an unchosen parcel says why", func(t *testing.T) {
		cands := env.layer(t, a, "candidates")
		var id string
		for _, f := range cands {
			if chosen, _ := f["chosen"].(bool); !chosen {
				id, _ = f["id"].(string)
				break
			}
		}
		if id == "" {
			t.Fatalf("every candidate parcel is chosen in %s: the demo should leave some out", a)
		}
		br.click(t, "parcels", id)
		br.waitJS(t, fmt.Sprintf(`document.querySelector('.parcel-details[data-parcel=%q] [data-chosen="false"]') !== null`, id), 15*time.Second)
		var reasons int
		br.eval(t, `document.querySelectorAll('.parcel-details [data-reason]').length`, &reasons)
		if reasons == 0 {
			t.Errorf("parcel %s: no reason shown for not choosing it", id)
		}
	})

	t.Run("screenshot is not blank", func(t *testing.T) {
		// The parcel just clicked, with its reasons; then the whole county
		// with the comparison.
		br.screenshot(t, "map-details.png")
		br.eval(t, `(window.parkplan.tab('compare'), window.parkplan.fit(), window.parkplan.rendered())`, nil)
		br.screenshot(t, "map-page.png")
	})

	t.Run("run a scenario from the page", func(t *testing.T) {
		name := fmt.Sprintf("page-run-%d", rand.Uint32()%1e6)
		br.eval(t, fmt.Sprintf(`(() => {
			document.querySelector('[data-tab=run]').click();
			const tok = document.getElementById('token'); tok.value = %q; tok.dispatchEvent(new Event('change'));
			document.getElementById('run-name').value = %q;
			const tp = document.querySelector('[data-rule=target_parks]'); tp.value = String(Number(tp.value) - 1);
			document.getElementById('run-button').click();
			return true; })()`, env.token, name), nil)
		br.waitJS(t, `(() => { const r = window.parkplan.lastRun(); return !!r && (r.error !== undefined || r.type === 'end'); })()`, 120*time.Second)
		var last struct {
			ID, Type, Error string
			Data            struct{ Status string }
		}
		br.eval(t, `window.parkplan.lastRun()`, &last)
		if last.Error != "" || last.Data.Status != "done" {
			t.Fatalf("run from the page: %+v", last)
		}
		br.waitJS(t, fmt.Sprintf(`window.parkplan.selected().b === %q && document.querySelector('#kpi-table td[data-scenario=%q]') !== null`, last.ID, last.ID), 30*time.Second)
		var stored struct{ Status string }
		env.getJSON(t, "/scenarios/"+last.ID, &stored)
		if stored.Status != "done" {
			t.Errorf("scenario %s run from the page is %q in the API, want done", last.ID, stored.Status)
		}
	})

	t.Run("a plan on older data says it is stale", func(t *testing.T) {
		// The demo imported again is revision 2: every plan on the page was built on r1.
		webRunCLI(t, context.Background(), "import", "--db", env.dbURL, env.data)
		br.eval(t, `(location.reload(), true)`, nil)
		br.waitJS(t, `window.parkplan && window.parkplan.ready()`, 60*time.Second)
		want := "stale: built on r1, the data is r2; re-run"
		br.waitJS(t, fmt.Sprintf(`[...document.querySelectorAll('.plan-notes .stale')].some((e) => e.textContent === %q)`, want), 30*time.Second)
	})

	t.Run("no console errors", func(t *testing.T) {
		var pageErrs []string
		br.eval(t, `window.parkplan.errors()`, &pageErrs)
		for _, e := range append(br.errors(), pageErrs...) {
			t.Errorf("browser: %s", e)
		}
	})

	var here string
	br.eval(t, `location.href`, &here)
	webRecordTiming(t, br, here)
}

// webParkDiff counts parks added and removed from a to b.
func webParkDiff(a, b []string) map[string]int {
	inA, inB := map[string]bool{}, map[string]bool{}
	for _, id := range a {
		inA[id] = true
	}
	for _, id := range b {
		inB[id] = true
	}
	out := map[string]int{}
	for id := range inB {
		if !inA[id] {
			out["added"]++
		}
	}
	for id := range inA {
		if !inB[id] {
			out["removed"]++
		}
	}
	return out
}

// webInk returns a PNG's number of distinct colours and its share of
// pixels that are not near-white.
func webInk(b []byte) (colours int, ink float64, err error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	r := img.Bounds()
	if r.Dx() == 0 || r.Dy() == 0 {
		return 0, 0, fmt.Errorf("empty image %v", r)
	}
	seen := map[[3]uint8]bool{}
	var inked int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			c := [3]uint8{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8)}
			seen[c] = true
			if c[0] < webNearWhiteCutoff || c[1] < webNearWhiteCutoff || c[2] < webNearWhiteCutoff {
				inked++
			}
		}
	}
	return len(seen), float64(inked) / float64(r.Dx()*r.Dy()), nil
}

// webRecordTiming writes the page's load timings to out/test/map-timing.json
// for scripts/bench-map.sh (recorded, not asserted): "cold" is the visit
// above, the first in a fresh browser profile; "warm" reloads the same page
// (A and B chosen) in the same browser, files revalidated by ETag.
func webRecordTiming(t *testing.T, br *webBrowser, page string) {
	const timingJS = `(() => {
		const nav = performance.getEntriesByType('navigation')[0] || {};
		const res = performance.getEntriesByType('resource').filter((r) => /static\/app\.(js|css)$/.test(r.name))
			.map((r) => ({name: r.name.replace(/^.*\//, ''), transfer: r.transferSize, body: r.decodedBodySize, ms: r.duration, responseEndMs: r.responseEnd}));
		return Object.assign({}, window.parkplan.timing(), {
			htmlResponseEndMs: nav.responseEnd, domContentLoadedMs: nav.domContentLoadedEventEnd, loadMs: nav.loadEventEnd,
			htmlTransfer: nav.transferSize, resources: res });
	})()`
	timing := map[string]any{}
	var cold map[string]any
	br.eval(t, timingJS, &cold)
	timing["cold"] = cold
	if err := chromedp.Do(br.ctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("reload %s: %v", page, err)
	}
	br.waitJS(t, `window.parkplan && window.parkplan.ready()`, 60*time.Second)
	var warm map[string]any
	br.eval(t, timingJS, &warm)
	timing["warm"] = warm
	b, err := json.MarshalIndent(timing, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(webOutDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(webOutDir, "map-timing.json"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("map page timing: %s", b)
}

// ---------- the parkplan side ----------

// webEnv is a running parkplan on loopback over a throwaway database.
type webEnv struct {
	url   string
	token string
	dbURL string // the test database
	data  string // the demo dataset directory imported
}

// newWebEnv creates a database, loads the demo dataset with the CLI,
// creates a planner token and starts `parkplan serve` on 127.0.0.1:0.
func newWebEnv(t *testing.T) *webEnv {
	t.Helper()
	dbURL := postgisTestDB(t, "web")
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	webRunCLI(t, ctx, "demo", "--out", dir)
	// token create applies the migrations to the fresh database first.
	out := webRunCLI(t, ctx, "token", "create", "--db", dbURL, "--role", "planner", "--name", "map-page-test")
	webRunCLI(t, ctx, "import", "--db", dbURL, dir)
	// The demo's two synthetic monitoring years, evaluated and saved for the map.
	webRunCLI(t, ctx, "evaluate", "--save", "--db", dbURL)
	tok := strings.TrimSpace(out)
	if tok == "" || strings.ContainsAny(tok, " \n") {
		t.Fatalf("no token in `parkplan token create` output %q", out)
	}

	env := &webEnv{token: tok, dbURL: dbURL, data: dir}
	env.url = startWebServe(t, ctx, cancel, dbURL)
	return env
}

// startWebServe runs `parkplan serve` on dbURL in-process on a free
// loopback port until the test ends (cancel stops it) and returns its URL.
func startWebServe(t *testing.T, ctx context.Context, cancel context.CancelFunc, dbURL string) string {
	t.Helper()
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", dbURL, "--addr", "127.0.0.1:0", "--access-log=false", "--log-level", "warn"}, pw, &stderr)
		pw.Close()
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "parkplan: serving on "); ok {
				urls <- u
			}
		}
		close(urls)
	}()
	var url string
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatalf("parkplan serve ended before serving: %s", stderr.String())
		}
		url = u
	case <-time.After(60 * time.Second):
		t.Fatalf("parkplan serve did not start in 60 s: %s", stderr.String())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("parkplan serve exited %d: %s", code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("parkplan serve did not stop in 30 s")
		}
	})
	return url
}

// webRunCLI runs one parkplan subcommand in-process and returns its stdout.
func webRunCLI(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(ctx, args, &stdout, &stderr); code != 0 {
		t.Fatalf("parkplan %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// createScenario posts a scenario file (YAML) with a short time limit,
// published; the server saves it and queues its run. It returns the scenario id.
func (e *webEnv) createScenario(t *testing.T, file, name string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	body = regexp.MustCompile(`(?m)^time_limit:.*$`).ReplaceAllString(body, "")
	body += "\ntime_limit: " + webSolveLimit + "\n"
	if name != "" {
		body = regexp.MustCompile(`(?m)^name:.*$`).ReplaceAllString(body, "name: "+name)
	}
	// Published, so the page shows them to the public role before any token is typed.
	req, err := http.NewRequest("POST", e.url+"/scenarios?published=true", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/yaml")
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rb, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusAccepted && res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /scenarios %s: %s %s", file, res.Status, rb)
	}
	var doc struct{ ID string }
	if err := json.Unmarshal(rb, &doc); err != nil || doc.ID == "" {
		t.Fatalf("POST /scenarios %s: no id in %s (%v)", file, rb, err)
	}
	return doc.ID
}

// waitDone polls the scenario until its run ends; it must end done.
func (e *webEnv) waitDone(t *testing.T, id string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		var doc struct{ Status, Error string }
		e.getJSON(t, "/scenarios/"+id, &doc)
		switch doc.Status {
		case "done":
			return
		case "failed", "cancelled":
			t.Fatalf("scenario %s: %s %s", id, doc.Status, doc.Error)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("scenario %s not done in 3 minutes", id)
}

func (e *webEnv) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	req, err := http.NewRequest("GET", e.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", path, res.Status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// layer returns the properties of every feature of a scenario layer.
func (e *webEnv) layer(t *testing.T, id, layer string) []map[string]any {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties map[string]any
		}
	}
	e.getJSON(t, "/scenarios/"+id+"/layers/"+layer+".geojson", &fc)
	out := make([]map[string]any, len(fc.Features))
	for i, f := range fc.Features {
		out[i] = f.Properties
	}
	return out
}

// layerIDs returns the values of property key over a scenario layer.
func (e *webEnv) layerIDs(t *testing.T, id, layer, key string) []string {
	var ids []string
	for _, p := range e.layer(t, id, layer) {
		if s, ok := p[key].(string); ok {
			ids = append(ids, s)
		}
	}
	return ids
}

// baseCount is the number of features of a base layer.
func (e *webEnv) baseCount(t *testing.T, layer string) int {
	var fc struct{ Features []json.RawMessage }
	e.getJSON(t, "/layers/"+layer+".geojson", &fc)
	return len(fc.Features)
}

// ---------- the browser side ----------

// webBrowser is a headless chromium tab with its console and log errors collected.
type webBrowser struct {
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

func newWebBrowser(t *testing.T) *webBrowser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(webChromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	br := &webBrowser{ctx: ctx}
	// Console starts the browser and subscribes before the page loads, so
	// no message is lost: console.error calls, uncaught exceptions and
	// rejections, and browser log errors (failed requests, CSP, …).
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				br.addErr(m.String() + " " + m.URL)
			}
		}
	}()
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		<-done
	})
	return br
}

func (b *webBrowser) addErr(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errs = append(b.errs, s)
}

func (b *webBrowser) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

// eval evaluates a JavaScript expression (awaiting a promise) into v (nil: discard).
func (b *webBrowser) eval(t *testing.T, expr string, v any) {
	t.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v (browser errors: %v)", expr, err, b.errors())
	}
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("evaluate %.80q: result %s: %v", expr, raw, err)
		}
	}
}

// waitJS polls a JavaScript condition until it is true.
func (b *webBrowser) waitJS(t *testing.T, cond string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var ok bool
		b.eval(t, `!!(`+cond+`)`, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var status string
			b.eval(t, `(document.getElementById('status') || {}).textContent || ''`, &status)
			t.Fatalf("waited %v for %s; page status %q; browser errors %v", limit, cond, status, b.errors())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// screenshot saves the tab's viewport as out/test/NAME and fails if it
// looks blank (too few colours or too little ink).
func (b *webBrowser) screenshot(t *testing.T, name string) {
	t.Helper()
	if err := os.MkdirAll(webOutDir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(webOutDir, name)
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	colours, ink, err := webInk(shot)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if colours < webMinColours || ink < webMinInkFraction {
		t.Errorf("%s looks blank: %d colours (want ≥ %d), %.1f %% ink (want ≥ %.0f %%)", path, colours, webMinColours, 100*ink, 100*webMinInkFraction)
	}
	t.Logf("%s: %d colours, %.1f %% ink", path, colours, 100*ink)
}

// platformFonts returns the fonts chromium used to draw the text of the
// first element matching selector.
func (b *webBrowser) platformFonts(t *testing.T, selector string) []*css.PlatformFontUsage {
	t.Helper()
	fonts, err := chromedp.Run(b.ctx, func(ctx context.Context, tg *chromedp.Target) ([]*css.PlatformFontUsage, error) {
		doc, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return nil, err
		}
		node, err := cdp.Call(ctx, tg, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: selector})
		if err != nil {
			return nil, err
		}
		if node.NodeID == 0 {
			return nil, fmt.Errorf("no element %s", selector)
		}
		if _, err := cdp.Call(ctx, tg, css.Enable, cdp.Empty{}); err != nil {
			return nil, err
		}
		res, err := cdp.Call(ctx, tg, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: node.NodeID})
		if err != nil {
			return nil, err
		}
		return res.Fonts, nil
	})
	if err != nil {
		t.Fatalf("fonts of %s: %v", selector, err)
	}
	return fonts
}

// counts returns the number of features in each map layer.
func (b *webBrowser) counts(t *testing.T) map[string]int {
	var c map[string]int
	b.eval(t, `window.parkplan.counts()`, &c)
	return c
}

// click zooms to a feature and clicks it with the mouse.
func (b *webBrowser) click(t *testing.T, layer, id string) {
	t.Helper()
	var found bool
	b.eval(t, fmt.Sprintf(`window.parkplan.zoomTo(%q, %q, 15)`, layer, id), &found)
	if !found {
		t.Fatalf("no %s feature %q on the map", layer, id)
	}
	b.eval(t, `window.parkplan.rendered()`, nil)
	var px []float64
	b.eval(t, fmt.Sprintf(`window.parkplan.pixelOf(%q, %q)`, layer, id), &px)
	if len(px) != 2 {
		t.Fatalf("no pixel for %s feature %q", layer, id)
	}
	if err := chromedp.Do(b.ctx, chromedp.MouseClickXY(px[0], px[1])); err != nil {
		t.Fatal(err)
	}
}
