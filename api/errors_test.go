package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// noFeatures is an empty feature store: the error tests below exercise
// the server's error handling, not a store (the stores are tested on
// PostGIS in data and through the running server in cmd/parkplan).
type noFeatures struct{}

func (noFeatures) Collections(context.Context, bool) ([]planner.Collection, error) { return nil, nil }
func (noFeatures) Collection(_ context.Context, id string, _ bool) (*planner.Collection, error) {
	return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId", Message: "no collection " + id}
}
func (noFeatures) Items(_ context.Context, q planner.ItemsQuery) (*planner.FeaturePage, error) {
	return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId", Message: "no collection " + q.Collection}
}
func (noFeatures) Item(_ context.Context, c, _ string, _ planner.CRS, _ bool) (json.RawMessage, error) {
	return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId", Message: "no collection " + c}
}

func TestErrorsAreProblemDocuments(t *testing.T) {
	var logs bytes.Buffer
	cfg := DefaultConfig()
	cfg.BodyLimit = 16
	cfg.RequestTimeout = 20 * time.Millisecond
	// The database is "down" for /readyz; a *net.OpError stands for the
	// driver's refused connection (data.IsUnavailable is tested on real
	// connections in data, the whole path in cmd/parkplan's chaos test).
	s, err := New(cfg, Deps{Features: noFeatures{}, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Ready: func(context.Context) error { return planner.ErrUnavailable },
		Unavailable: func(err error) bool {
			var ne *net.OpError
			return errors.As(err, &ne)
		}})
	if err != nil {
		t.Fatal(err)
	}
	fail := func(err error) echo.HandlerFunc { return func(echo.Context) error { return err } }
	s.echo.GET("/t/invalid", fail(planner.FieldErrorf("query.limit", "limit %q is not a number", "x")))
	s.echo.GET("/t/notfound", fail(planner.Errorf(planner.ENOTFOUND, "no scenario %q", "s1")))
	s.echo.GET("/t/conflict", fail(fmt.Errorf("saving: %w", planner.Errorf(planner.ECONFLICT, "name taken"))))
	s.echo.GET("/t/unauthorized", fail(fmt.Errorf("checking the token: %w", planner.Errorf(planner.EUNAUTHORIZED, "invalid or revoked token"))))
	s.echo.GET("/t/internal", fail(errors.New("disk on fire at /var/lib")))
	s.echo.GET("/t/unprocessable", fail(Unprocessable(planner.FieldErrorf("body.weights.cost", "must be ≥ 0"))))
	s.echo.GET("/t/busy", fail(WithStatus(http.StatusTooManyRequests, "30", planner.Errorf(planner.EINVALID, "queue full"))))
	s.echo.GET("/t/dbdown", fail(fmt.Errorf("data: reading collection %q: %w", "parcels",
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})))
	s.echo.GET("/t/unavailable", fail(fmt.Errorf("saving: %w", planner.ErrUnavailable)))
	s.echo.GET("/t/panic", func(echo.Context) error { panic("a programmer error") })
	s.echo.GET("/t/slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	}, s.withTimeout)
	s.echo.POST("/t/body", func(c echo.Context) error {
		_, err := c.Request().Body.Read(make([]byte, 64))
		return err
	})
	s.echo.GET("/t/planner", fail(nil), s.require(RolePlanner))

	for _, tc := range []struct {
		method, path string
		body         string
		status       int
		code, field  string
		logged       bool
		header       [2]string
	}{
		{"GET", "/t/invalid", "", 400, "invalid", "query.limit", false, [2]string{}},
		{"GET", "/t/notfound", "", 404, "not_found", "", false, [2]string{}},
		{"GET", "/t/conflict", "", 409, "conflict", "", false, [2]string{}},
		{"GET", "/t/unauthorized", "", 401, "unauthorized", "", false, [2]string{}},
		{"GET", "/t/internal", "", 500, "internal", "", true, [2]string{}},
		{"GET", "/t/unprocessable", "", 422, "invalid", "body.weights.cost", false, [2]string{}},
		{"GET", "/t/busy", "", 429, "invalid", "", false, [2]string{"Retry-After", "30"}},
		{"GET", "/t/panic", "", 500, "internal", "", true, [2]string{}},
		{"GET", "/t/slow", "", 503, "", "", false, [2]string{"Retry-After", "5"}},
		{"GET", "/t/dbdown", "", 503, "unavailable", "", false, [2]string{"Retry-After", "5"}},
		{"GET", "/t/unavailable", "", 503, "unavailable", "", false, [2]string{"Retry-After", "5"}},
		{"GET", "/readyz", "", 503, "unavailable", "", false, [2]string{"Retry-After", "5"}},
		{"GET", "/collections/x/items?bbox-crs=EPSG:4549&bbox=-1e9,-1e9,1e9,1e9", "", 400, "invalid", "query.bbox", false, [2]string{}},
		{"GET", "/collections/x/items?bbox-crs=EPSG:4549&bbox=3300000,500000,3400000,2500000", "", 400, "invalid", "query.bbox", false, [2]string{}},
		{"POST", "/t/body", strings.Repeat("x", 100), 413, "invalid", "body", false, [2]string{}},
		{"GET", "/t/planner", "", 401, "invalid", "header.Authorization", false, [2]string{"WWW-Authenticate", `Bearer realm="parkplan"`}},
		{"GET", "/no/such/route", "", 404, "not_found", "", false, [2]string{}},
		{"DELETE", "/conformance", "", 405, "invalid", "", false, [2]string{}},
		{"GET", "/collections/x/items?limit=0", "", 400, "invalid", "query.limit", false, [2]string{}},
		{"GET", "/collections/x/items", "", 404, "not_found", "collectionId", false, [2]string{}},
		{"GET", "/collections", "", 401, "invalid", "header.Authorization", false, [2]string{}}, // a token, but no authenticator
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.path == "/collections" {
				req.Header.Set("Authorization", "Bearer abc")
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != mimeProblem {
				t.Fatalf("%d %s, want %d problem+json: %s", rec.Code, rec.Header().Get("Content-Type"), tc.status, rec.Body)
			}
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != tc.status || p.Title != http.StatusText(tc.status) || p.Code != tc.code || p.Field != tc.field ||
				p.RequestID == "" || p.RequestID != rec.Header().Get(echo.HeaderXRequestID) || p.Instance != tc.path {
				t.Errorf("problem %+v", p)
			}
			if tc.status == 500 && strings.Contains(p.Detail, "fire") {
				t.Errorf("an internal error's details reached the client: %q", p.Detail)
			}
			if got := strings.Contains(logs.String(), "level=ERROR"); got != tc.logged {
				t.Errorf("logged as error: %v, want %v:\n%s", got, tc.logged, logs.String())
			}
			if tc.header[0] != "" && rec.Header().Get(tc.header[0]) != tc.header[1] {
				t.Errorf("%s: %q, want %q", tc.header[0], rec.Header().Get(tc.header[0]), tc.header[1])
			}
		})
	}
}

func TestCORSAllowsReadsOnly(t *testing.T) {
	s, err := New(DefaultConfig(), Deps{Features: noFeatures{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	preflight := func(method string) string {
		req := httptest.NewRequest(http.MethodOptions, "/collections", nil)
		req.Header.Set("Origin", "https://maps.example.org")
		req.Header.Set("Access-Control-Request-Method", method)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Header().Get("Access-Control-Allow-Methods")
	}
	if got := preflight(http.MethodGet); !strings.Contains(got, "GET") || strings.Contains(got, "POST") {
		t.Errorf("allowed methods %q, want GET and HEAD only", got)
	}
	req := httptest.NewRequest(http.MethodGet, "/conformance", nil)
	req.Header.Set("Origin", "https://maps.example.org")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Content-Crs") {
		t.Errorf("GET from another origin: %v", rec.Header())
	}
}

func TestHeadAnswersWithoutBody(t *testing.T) {
	s, err := New(DefaultConfig(), Deps{Features: noFeatures{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	res, err := http.Head(srv.URL + "/conformance")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("HEAD /conformance: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	res, err = http.Head(srv.URL + "/collections/x/items")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("HEAD of an unknown collection: %d", res.StatusCode)
	}
}
