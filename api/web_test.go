package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestWebRoutes(t *testing.T) {
	e := echo.New()
	landing := func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"title": "landing"}) }
	if err := registerWebRoutes(e, WebConfig{BaseMapURL: "http://tiles.invalid/{z}/{x}/{y}.png"}, landing); err != nil {
		t.Fatal(err)
	}
	index, err := webdist.ReadFile("webdist/index.html")
	if err != nil {
		t.Fatal(err)
	}
	appJS, err := webdist.ReadFile("webdist/app.js")
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, target string, hdr map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	tests := []struct {
		name     string
		method   string
		target   string
		hdr      map[string]string
		status   int
		ctype    string
		body     []byte // exact body, after gunzip when gzipped
		contains string
		gzipped  bool
	}{
		{name: "browser gets the page at /", method: "GET", target: "/", hdr: map[string]string{"Accept": "text/html,application/xhtml+xml"}, status: 200, ctype: "text/html; charset=utf-8", body: index},
		{name: "json client gets the landing page at /", method: "GET", target: "/", hdr: map[string]string{"Accept": "application/json"}, status: 200, ctype: "application/json", contains: `"landing"`},
		{name: "f=json wins over Accept html", method: "GET", target: "/?f=json", hdr: map[string]string{"Accept": "text/html"}, status: 200, contains: `"landing"`},
		{name: "f=html wins over Accept json", method: "GET", target: "/?f=html", hdr: map[string]string{"Accept": "application/json"}, status: 200, body: index},
		{name: "/map is always the page", method: "GET", target: "/map", status: 200, body: index},
		{name: "bundle plain", method: "GET", target: "/static/app.js", status: 200, ctype: "text/javascript; charset=utf-8", body: appJS},
		{name: "bundle gzip", method: "GET", target: "/static/app.js", hdr: map[string]string{"Accept-Encoding": "br, gzip"}, status: 200, body: appJS, gzipped: true},
		{name: "gzip refused with q=0", method: "GET", target: "/static/app.js", hdr: map[string]string{"Accept-Encoding": "gzip;q=0"}, status: 200, body: appJS},
		{name: "css", method: "GET", target: "/static/app.css", status: 200, ctype: "text/css; charset=utf-8", contains: ".ol-"},
		{name: "licences", method: "GET", target: "/static/LICENSES.txt", status: 200, contains: "==== ol "},
		{name: "config carries the base map", method: "GET", target: "/static/config.json", status: 200, ctype: "application/json", contains: `"baseMapURL":"http://tiles.invalid/{z}/{x}/{y}.png"`},
		{name: "unknown static file", method: "GET", target: "/static/nope.js", status: 404},
		{name: "index only at /", method: "GET", target: "/static/index.html", status: 404},
		{name: "head", method: "HEAD", target: "/static/app.js", status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(tc.method, tc.target, tc.hdr)
			if rec.Code != tc.status {
				t.Fatalf("%s %s: status %d, want %d (body %.200q)", tc.method, tc.target, rec.Code, tc.status, rec.Body.String())
			}
			if tc.ctype != "" && !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), tc.ctype)
			}
			got := rec.Body.Bytes()
			if enc := rec.Header().Get("Content-Encoding"); (enc == "gzip") != tc.gzipped {
				t.Fatalf("Content-Encoding %q, want gzipped=%v", enc, tc.gzipped)
			}
			if tc.gzipped {
				zr, err := gzip.NewReader(bytes.NewReader(got))
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if tc.body != nil && !bytes.Equal(got, tc.body) {
				t.Errorf("body differs from the embedded file (%d bytes, want %d)", len(got), len(tc.body))
			}
			if tc.contains != "" && !strings.Contains(string(got), tc.contains) {
				t.Errorf("body %.200q does not contain %q", got, tc.contains)
			}
		})
	}
	t.Run("etag revalidation", func(t *testing.T) {
		first := do("GET", "/static/app.css", nil)
		etag := first.Header().Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		again := do("GET", "/static/app.css", map[string]string{"If-None-Match": etag})
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Fatalf("If-None-Match %s: status %d with %d bytes, want 304 and none", etag, again.Code, again.Body.Len())
		}
	})
	t.Run("no landing: page for everyone", func(t *testing.T) {
		e2 := echo.New()
		if err := registerWebRoutes(e2, WebConfig{}, nil); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Accept", "application/json")
		rec := httptest.NewRecorder()
		e2.ServeHTTP(rec, req)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), index) {
			t.Fatalf("status %d, body not the page", rec.Code)
		}
		req = httptest.NewRequest("GET", "/static/config.json", nil)
		rec = httptest.NewRecorder()
		e2.ServeHTTP(rec, req)
		var conf map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &conf); err != nil || conf["baseMapURL"] != "" {
			t.Fatalf("config %q (%v): want an empty baseMapURL", rec.Body.String(), err)
		}
	})
}

// TestWebBundleReferences checks the page loads what the bundle holds:
// index.html names static/app.js and static/app.css, and they are embedded.
func TestWebBundleReferences(t *testing.T) {
	index, err := webdist.ReadFile("webdist/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{`src="static/app.js"`, `href="static/app.css"`} {
		if !bytes.Contains(index, []byte(ref)) {
			t.Errorf("index.html does not reference %s", ref)
		}
		name := strings.TrimSuffix(strings.SplitN(ref, "static/", 2)[1], `"`)
		if _, err := webdist.ReadFile("webdist/" + name); err != nil {
			t.Errorf("%s is referenced but not embedded: %v", name, err)
		}
	}
}

// TestWebBundleFresh checks that the committed bundle was built from the
// sources as they are: api/webdist/SOURCES.txt (written by web/build.mjs)
// must list every file under web/ that the bundle is built from, with its
// sha256. Editing web/ without `make web` fails here; `make web-check`
// rebuilds and compares the bundle byte for byte.
func TestWebBundleFresh(t *testing.T) {
	manifest, err := webdist.ReadFile("webdist/SOURCES.txt")
	if err != nil {
		t.Fatalf("the bundle has no SOURCES.txt (run `make web`): %v", err)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(manifest)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SOURCES.txt: bad line %q", line)
		}
		want[name] = sum
	}
	got := map[string]string{}
	for _, pattern := range []string{"../web/*.mjs", "../web/index.html", "../web/package*.json", "../web/src/*"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			got[strings.TrimPrefix(filepath.ToSlash(f), "../")] = hex.EncodeToString(sum[:])
		}
	}
	for name, sum := range got {
		switch w, ok := want[name]; {
		case !ok:
			t.Errorf("%s is not in the bundle's SOURCES.txt: run `make web` and commit api/webdist", name)
		case w != sum:
			t.Errorf("%s changed since the bundle was built: run `make web` and commit api/webdist", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s is in SOURCES.txt but not under web/: run `make web` and commit api/webdist", name)
		}
	}
}
