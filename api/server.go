// Package api serves parkplan over HTTP with echo: the OGC API – Features
// collections (base layers and every solved scenario's layers), plain
// GeoJSON downloads, and the scenario service. It depends on planner's
// service interfaces only; cmd/parkplan wires the PostGIS implementations
// from data into a Server.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/parkplan/parkplan/planner"
)

// Config is the HTTP server's configuration. DefaultConfig gives every
// field its documented default (docs/api.md).
type Config struct {
	// Addr is the listen address, HOST:PORT; port 0 picks a free port.
	Addr string `yaml:"addr"`
	// BaseURL is the external URL prefix written into links
	// ("https://gis.example.org/parkplan"); empty derives it from the
	// request's Host header.
	BaseURL string `yaml:"base_url"`
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout bound each
	// connection (net/http semantics). Long streams (server-sent events)
	// lift their own write deadline with http.ResponseController.
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	// RequestTimeout bounds the database work of one feature request; the
	// request context carries it to every query.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// ShutdownTimeout is how long Shutdown waits for requests in flight.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// BodyLimit is the largest request body accepted, in bytes; larger
	// bodies get 413.
	BodyLimit int64 `yaml:"body_limit"`
	// CORSOrigins lists the web origins whose pages may read the API from
	// the browser (GET and HEAD only: web maps loading layers); ["*"]
	// allows any, empty none.
	CORSOrigins []string `yaml:"cors_origins"`
	// Web configures the map page served at / (browsers) and /map.
	Web WebConfig `yaml:"web"`
	// AccessLog logs one line per request (method, path, status, latency,
	// request id) at level Info.
	AccessLog bool `yaml:"access_log"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		RequestTimeout:    60 * time.Second,
		ShutdownTimeout:   15 * time.Second,
		BodyLimit:         8 << 20,
		CORSOrigins:       []string{"*"},
		Web:               WebConfig{TilesAbove: DefaultTilesAbove},
		AccessLog:         true,
	}
}

// Deps are the services a Server serves. Features is required; the rest
// may be nil (their routes then answer 503).
type Deps struct {
	Features  planner.FeatureStore
	Scenarios planner.ScenarioStore
	// Provinces keeps the saved provincial plans (GET /provinces); nil
	// answers those routes 503.
	Provinces planner.ProvinceStore
	// Tiles serves the collections as vector tiles (OGC API – Tiles); nil
	// leaves the tiles routes out.
	Tiles planner.TileStore
	// Reads routes reads to hot standbys (api/readroute.go); nil reads
	// from the stores' own pools.
	Reads planner.ReadRouter
	// Auth resolves bearer tokens to roles; nil treats every request as
	// the public role and refuses tokens.
	Auth Authenticator
	// Scenario holds the scenario service's own dependencies (job runner,
	// plan service, …); its type belongs to the scenario routes' files.
	Scenario ScenarioDeps
	// Logger receives structured logs; nil uses slog.Default().
	Logger *slog.Logger
	// Unavailable reports whether a store's error means the database could
	// not be reached (data.IsUnavailable): such errors are answered 503
	// with Retry-After, not 500. Errors wrapping planner.ErrUnavailable are
	// recognised without it.
	Unavailable func(error) bool
	// Ready answers GET /readyz: nil when the database answers (quickly).
	// Nil Ready: /readyz is always ready.
	Ready func(context.Context) error
}

// Server is parkplan's HTTP server. Create it with New, start it with
// Listen and Serve (or ListenAndServe), stop it with Shutdown.
type Server struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	echo *echo.Echo
	http *http.Server
	ln   net.Listener

	tmpl    *template.Template // the OGC HTML views
	openapi map[string]any     // the API definition, without servers

	idPrefix string        // random per server, so request ids differ across restarts
	idSeq    atomic.Uint64 // request id counter
	draining atomic.Bool   // Shutdown has begun: /readyz answers 503
}

// New builds a Server; it does not listen yet.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Features == nil {
		return nil, errors.New("api: Deps.Features is required")
	}
	if cfg.BodyLimit <= 0 {
		return nil, fmt.Errorf("api: body limit %d bytes must be positive", cfg.BodyLimit)
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("api: request id prefix: %w", err)
	}
	s.idPrefix = hex.EncodeToString(b[:]) + "-"
	s.tmpl = parseOGCTemplates()
	doc, err := loadOpenAPI()
	if err != nil {
		return nil, err
	}
	s.openapi = doc

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: s.nextRequestID}))
	if cfg.AccessLog {
		e.Use(s.accessLog)
	}
	e.Use(s.recoverPanic)
	e.Use(middleware.BodyLimit(strconv.FormatInt(cfg.BodyLimit, 10) + "B"))
	if len(cfg.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{AllowOrigins: cfg.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderAccept},
			ExposeHeaders: []string{"Content-Crs", echo.HeaderXRequestID}}))
	}
	e.Use(s.authenticate)
	e.Use(s.routeReads)
	s.echo = e

	s.registerOGCRoutes(e)
	s.registerLayerRoutes(e)
	s.registerTileRoutes(e)
	// registerScenarioRoutes belongs to the scenario service (api/scenarios*.go).
	s.registerScenarioRoutes(e)
	s.registerProvinceRoutes(e)
	s.registerHealthRoutes(e)
	// The map page owns "/" for browsers; every other client gets the landing page.
	if err := registerWebRoutes(e, cfg.Web, s.handleLanding); err != nil {
		return nil, err
	}

	s.http = &http.Server{
		Handler:           e,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// Handler returns the server's routes as an http.Handler (for httptest).
func (s *Server) Handler() http.Handler { return s.echo }

// Listen binds the configured address. Addr reports the bound address.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("api: listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address, or nil before Listen.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// URL returns the server's base URL: Config.BaseURL, or http://ADDR after Listen.
func (s *Server) URL() string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Serve serves on the bound listener until Shutdown; it returns nil after
// a clean shutdown.
func (s *Server) Serve() error {
	if s.ln == nil {
		return errors.New("api: Serve before Listen")
	}
	if err := s.http.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ListenAndServe binds and serves until ctx ends, then shuts down
// gracefully within Config.ShutdownTimeout; connections still busy after
// it are closed, and the stop is still clean (nil). ready, if not nil, is
// called with the base URL once the listener is bound.
func (s *Server) ListenAndServe(ctx context.Context, ready func(url string)) error {
	if err := s.Listen(); err != nil {
		return err
	}
	if ready != nil {
		ready(s.URL())
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		// Requests still running after the drain (a slow download, an
		// event stream) are cut: the stop itself went as designed.
		s.log.Warn("shutdown timeout passed with requests in flight; closing their connections",
			"shutdown_timeout", s.cfg.ShutdownTimeout)
		if err := s.http.Close(); err != nil {
			return err
		}
	}
	return <-errc
}

// Shutdown stops accepting connections and waits for requests in flight
// until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.log.Info("shutting down")
	s.draining.Store(true)
	return s.http.Shutdown(ctx)
}

// nextRequestID returns a request id unique within this server's life.
func (s *Server) nextRequestID() string {
	return s.idPrefix + strconv.FormatUint(s.idSeq.Add(1), 10)
}

// accessLog logs one line per request after it completes.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Render now so the logged status is the one sent.
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "request",
			slog.String("id", res.Header().Get(echo.HeaderXRequestID)),
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("latency", time.Since(start)))
		return nil
	}
}

// recoverPanic turns a handler panic (a programmer error) into a logged 500.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// withTimeout bounds a request's database work by Config.RequestTimeout.
// Streaming routes (server-sent events) must not use it. An error after
// the deadline passed is answered 503 with Retry-After, whatever the
// driver made of the cancelled query.
func (s *Server) withTimeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.cfg.RequestTimeout <= 0 {
			return next(c)
		}
		orig := c.Request()
		ctx, cancel := context.WithTimeout(orig.Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(orig.WithContext(ctx))
		err := next(c)
		// The error handler runs after this returns: give it the
		// caller's context, not the one cancelled here.
		c.SetRequest(orig)
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && orig.Context().Err() == nil {
			return WithStatus(http.StatusServiceUnavailable, "5",
				fmt.Errorf("the request took longer than the server's request timeout (%s): %w", s.cfg.RequestTimeout, err))
		}
		return err
	}
}
