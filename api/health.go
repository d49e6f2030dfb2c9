package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// retryAfterUnavailable is the Retry-After (seconds) of a 503 answered
// because the database is unreachable: PostgreSQL restarts in about a
// second, a failover takes longer; clients retry soon, not in a tight loop.
const retryAfterUnavailable = "5"

// registerHealthRoutes adds the probes: /healthz (liveness: the process
// serves HTTP; never touches the database, so an outage does not get the
// server restarted) and /readyz (readiness: the database answers, so a
// load balancer sends traffic elsewhere during an outage or a shutdown).
func (s *Server) registerHealthRoutes(e *echo.Echo) {
	get := []string{http.MethodGet, http.MethodHead}
	e.Match(get, "/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.Match(get, "/readyz", s.handleReady)
}

// handleReady serves /readyz: 200 "ready" when the database answered
// within data's ReadyTimeout, else 503 problem+json with Retry-After; 503
// too once Shutdown has begun.
func (s *Server) handleReady(c echo.Context) error {
	if s.draining.Load() {
		return WithStatus(http.StatusServiceUnavailable, retryAfterUnavailable, errors.New("the server is shutting down"))
	}
	if s.deps.Ready != nil {
		if err := s.deps.Ready(c.Request().Context()); err != nil {
			s.log.Warn("not ready", "error", err)
			return WithStatus(http.StatusServiceUnavailable, retryAfterUnavailable,
				planner.Errorf(planner.EUNAVAILABLE, "the database does not answer"))
		}
	}
	return c.String(http.StatusOK, "ready\n")
}

// unavailable reports whether err means the database could not be reached.
func (s *Server) unavailable(err error) bool {
	if errors.Is(err, planner.ErrUnavailable) || planner.ErrorCode(err) == planner.EUNAVAILABLE {
		return true
	}
	return s.deps.Unavailable != nil && s.deps.Unavailable(err)
}
