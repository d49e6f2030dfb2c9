package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// webdist is the map page built from web/ by `make web` (esbuild): index.html,
// app.js, app.css and LICENSES.txt. The built files are committed, so
// `go build` works on a clean clone; `make web-check` proves they match
// the sources (docs/map.md).
//
//go:embed webdist
var webdist embed.FS

// WebConfig configures the map page.
type WebConfig struct {
	// BaseMapURL is an XYZ tile URL template ("https://tiles.example/{z}/{x}/{y}.png")
	// drawn under the vector layers. Empty (the default) draws no base map,
	// so the page needs no internet.
	BaseMapURL string `yaml:"base_map_url"`
	// TilesAbove is the parcel count above which the map page draws the
	// parcels from vector tiles (OGC API – Tiles) instead of one GeoJSON
	// download; 0 always uses tiles.
	TilesAbove int `yaml:"tiles_above"`
}

// DefaultTilesAbove is WebConfig.TilesAbove's default: about 8 MB of
// parcel GeoJSON, which a browser loads and draws in a few seconds.
const DefaultTilesAbove = 20000

// webAsset is one embedded file, ready to send: its bytes, gzip-compressed
// bytes, media type and strong ETag.
type webAsset struct {
	body  []byte
	gz    []byte
	ctype string
	etag  string
}

// webAssets holds the page's files by name ("index.html", "app.js", …).
type webAssets map[string]*webAsset

// loadWebAssets reads and compresses every embedded file once.
func loadWebAssets(cfg WebConfig) (webAssets, error) {
	files := webAssets{}
	err := fs.WalkDir(webdist, "webdist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := webdist.ReadFile(p)
		if err != nil {
			return err
		}
		files[strings.TrimPrefix(p, "webdist/")] = newWebAsset(b, mime.TypeByExtension(path.Ext(p)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("api: map page assets: %w", err)
	}
	if files["index.html"] == nil || files["app.js"] == nil {
		return nil, fmt.Errorf("api: map page assets: webdist has no index.html or app.js (run `make web`)")
	}
	conf, err := json.Marshal(map[string]any{"baseMapURL": cfg.BaseMapURL, "tilesAbove": cfg.TilesAbove})
	if err != nil {
		return nil, err
	}
	files["config.json"] = newWebAsset(conf, "application/json")
	return files, nil
}

func newWebAsset(b []byte, ctype string) *webAsset {
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset") {
		ctype += "; charset=utf-8"
	}
	sum := sha256.Sum256(b)
	a := &webAsset{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	if buf.Len() < len(b) {
		a.gz = buf.Bytes()
	}
	return a
}

// serve writes the asset with its ETag, answering 304 to a matching
// If-None-Match and sending gzip to clients that accept it.
func (a *webAsset) serve(c echo.Context) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := a.body
	if a.gz != nil && acceptsGzip(c.Request()) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		body = a.gz
	}
	if c.Request().Method == http.MethodHead {
		h.Set(echo.HeaderContentLength, fmt.Sprint(len(body)))
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, a.ctype, body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// wantsHTML reports whether a request to "/" is a browser's: no f=json
// and an Accept header that names text/html.
func wantsHTML(r *http.Request) bool {
	switch r.URL.Query().Get("f") {
	case "json", "jsonld", "geojson":
		return false
	case "html":
		return true
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// registerWebRoutes adds the map page to e: GET /map and /static/* always,
// and GET / for browsers (Accept: text/html, or f=html). landing, if not
// nil, answers "/" for every other client (the OGC API landing page as
// JSON); nil serves the page to everyone. Call it after the other routes
// so that it owns "/". The server calls it from New (docs/map.md).
func registerWebRoutes(e *echo.Echo, cfg WebConfig, landing echo.HandlerFunc) error {
	files, err := loadWebAssets(cfg)
	if err != nil {
		return err
	}
	index := files["index.html"]
	root := func(c echo.Context) error {
		if landing != nil && !wantsHTML(c.Request()) {
			return landing(c)
		}
		return index.serve(c)
	}
	e.GET("/", root)
	e.HEAD("/", root)
	e.GET("/map", index.serve)
	static := func(c echo.Context) error {
		a := files[c.Param("name")]
		if a == nil || c.Param("name") == "index.html" {
			return echo.NewHTTPError(http.StatusNotFound, "no such file: /static/"+c.Param("name"))
		}
		return a.serve(c)
	}
	e.GET("/static/:name", static)
	e.HEAD("/static/:name", static)
	return nil
}
