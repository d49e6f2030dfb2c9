package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// Reads from hot standbys (Deps.Reads): every GET and HEAD runs in a
// planner.ReadSession, which the data layer's router sends to a standby
// or the primary. A client reads its own writes: the answer to a write
// carries the primary's WAL position after it, as the cookie lsnCookie
// and the header HeaderLSN, and a read presenting either (the larger
// wins) is served by a standby only once it has replayed that position.
const (
	// HeaderLSN carries a WAL position: answered after a write, sent back
	// by clients that keep no cookies.
	HeaderLSN = "Parkplan-Lsn"
	// HeaderReadServer names the server that answered a read ("primary",
	// or the standby's name).
	HeaderReadServer = "Parkplan-Read-Server"
	// lsnCookie is HeaderLSN's cookie; it outlives any tolerated replay lag.
	lsnCookie       = "parkplan_lsn"
	lsnCookieMaxAge = 600 // seconds
)

// routeReads runs reads in a read session (retried once on the primary
// when a standby failed them) and records the position after writes.
func (s *Server) routeReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		rr := s.deps.Reads
		if rr == nil {
			return next(c)
		}
		req := c.Request()
		if req.Method == http.MethodOptions {
			return next(c) // CORS preflight: neither a read nor a write
		}
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			c.Response().Before(func() {
				if c.Response().Status >= 400 {
					return
				}
				lsn, err := rr.WritePosition(req.Context())
				if err != nil {
					s.log.Warn("no WAL position after a write: the client may read an older standby", "error", err)
					return
				}
				c.Response().Header().Set(HeaderLSN, lsn.String())
				c.SetCookie(&http.Cookie{Name: lsnCookie, Value: lsn.String(), Path: "/", MaxAge: lsnCookieMaxAge,
					HttpOnly: true, SameSite: http.SameSiteLaxMode})
			})
			return next(c)
		}
		rs := &planner.ReadSession{After: clientLSN(req)}
		c.Response().Before(func() {
			if srv := rs.Server(); srv != "" { // "": answered from the cache, no query
				c.Response().Header().Set(HeaderReadServer, srv)
			}
		})
		c.SetRequest(req.WithContext(planner.WithReadSession(req.Context(), rs)))
		err := next(c)
		if err != nil && !c.Response().Committed && rr.Retryable(rs, err) {
			s.log.Debug("read retried on the primary", "path", req.URL.Path, "error", err)
			rs = &planner.ReadSession{After: rs.After, PrimaryOnly: true} // the header hook reads rs
			c.SetRequest(req.WithContext(planner.WithReadSession(req.Context(), rs)))
			err = next(c)
		}
		c.SetRequest(req)
		return err
	}
}

// clientLSN returns the larger of the request's HeaderLSN and lsnCookie
// positions (0: none, or not a position).
func clientLSN(req *http.Request) planner.LSN {
	var max planner.LSN
	vals := []string{req.Header.Get(HeaderLSN)}
	if ck, err := req.Cookie(lsnCookie); err == nil {
		vals = append(vals, ck.Value)
	}
	for _, v := range vals {
		if l, err := planner.ParseLSN(v); err == nil && l > max {
			max = l
		}
	}
	return max
}
