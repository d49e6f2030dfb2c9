package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// Problem is an RFC 9457 problem details document (application/problem+json).
// Field is parkplan's extension: the path to the bad value
// ("query.bbox", "body.weights.cost"); Code is planner's error code.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	Code      string `json:"code,omitempty"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// mimeProblem is RFC 9457's media type.
const mimeProblem = "application/problem+json"

// codeStatus maps planner error codes to HTTP statuses, the one table.
var codeStatus = map[string]int{
	planner.EINVALID:  http.StatusBadRequest,
	planner.ENOTFOUND: http.StatusNotFound,
	planner.ECONFLICT: http.StatusConflict,
	planner.EINTERNAL: http.StatusInternalServerError,
	// A missing, malformed, unknown or revoked token (planner/auth.go).
	planner.EUNAUTHORIZED: http.StatusUnauthorized,
	// The database could not be reached; Retry-After is set (health.go).
	planner.EUNAVAILABLE: http.StatusServiceUnavailable,
	// A feature larger than one answer may carry (max_page_vertices).
	planner.ETOOLARGE: http.StatusRequestEntityTooLarge,
}

// maxEchoed bounds the request text a problem repeats (detail, instance):
// an id of 100 KB must not come back as 200 KB of error.
const maxEchoed = 1024

// clip cuts s to at most maxEchoed bytes on a UTF-8 boundary, marking the cut.
func clip(s string) string {
	if len(s) <= maxEchoed {
		return s
	}
	cut := maxEchoed
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// statusError gives an error an explicit HTTP status (e.g. 422 for a
// well-formed body that fails validation, 429/503 with Retry-After).
type statusError struct {
	status     int
	retryAfter string
	err        error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// Unprocessable marks err (usually a planner EINVALID error about a request
// body) as 422 Unprocessable Content.
func Unprocessable(err error) error {
	return &statusError{status: http.StatusUnprocessableEntity, err: err}
}

// WithStatus gives err the HTTP status; retryAfter, if not empty, is sent
// as the Retry-After header (seconds).
func WithStatus(status int, retryAfter string, err error) error {
	return &statusError{status: status, retryAfter: retryAfter, err: err}
}

// invalidParam returns the EINVALID error for a bad query parameter.
func invalidParam(name, format string, args ...any) error {
	return planner.FieldErrorf("query."+name, format, args...)
}

// handleError is echo's central error handler: it renders every error as
// problem+json and logs only internal ones (and client disconnects at Debug).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		if !errors.Is(err, context.Canceled) {
			s.log.Warn("error after response was committed", "error", err, "path", c.Request().URL.Path)
		}
		return
	}
	p := Problem{Type: "about:blank", Instance: c.Request().URL.RequestURI(),
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	var (
		se *statusError
		pe *planner.Error
		he *echo.HTTPError
	)
	ctxErr := c.Request().Context().Err()
	switch {
	case errors.Is(ctxErr, context.Canceled):
		// The client went away (the driver's error may not say so); nobody
		// reads the answer.
		s.log.Debug("request cancelled by client", "path", c.Request().URL.Path, "error", err)
		return
	case errors.Is(ctxErr, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		p.Status = http.StatusServiceUnavailable
		p.Detail = "the request took longer than the server's request timeout"
		se = &statusError{retryAfter: "5"}
	case s.unavailable(err):
		// The driver's error stays in the log, not in the answer.
		s.log.Warn("database unavailable", "error", err, "method", c.Request().Method,
			"path", c.Request().URL.Path, "request_id", p.RequestID)
		p.Status, p.Code = http.StatusServiceUnavailable, planner.EUNAVAILABLE
		p.Detail = "the database is unavailable; try again later"
		se = &statusError{retryAfter: retryAfterUnavailable}
	case errors.As(err, &pe):
		p.Status = codeStatus[pe.Code]
		if p.Status == 0 {
			p.Status = http.StatusInternalServerError
		}
		p.Code, p.Field, p.Detail = pe.Code, pe.Field, pe.Message
		if errors.As(err, &se) {
			p.Status = se.status
		}
	case errors.As(err, &se):
		p.Status, p.Detail = se.status, se.err.Error()
	case errors.As(err, &he):
		p.Status = he.Code
		if m, ok := he.Message.(string); ok && m != http.StatusText(he.Code) {
			p.Detail = m
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			p.Field, p.Detail = "body", "request body exceeds the server's limit"
		}
	default:
		p.Status = http.StatusInternalServerError
	}
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
		s.log.Error("internal error", "error", err, "method", c.Request().Method,
			"path", c.Request().URL.Path, "request_id", p.RequestID)
		p.Code, p.Field = planner.EINTERNAL, ""
		p.Detail = "internal error; the server log has the details under this request id"
	}
	if p.Code == "" {
		switch p.Status {
		case http.StatusNotFound:
			p.Code = planner.ENOTFOUND
		case http.StatusConflict:
			p.Code = planner.ECONFLICT
		default:
			if p.Status >= 400 && p.Status < 500 {
				p.Code = planner.EINVALID
			}
		}
	}
	p.Title = http.StatusText(p.Status)
	p.Detail, p.Instance, p.Field = clip(p.Detail), clip(p.Instance), clip(p.Field)
	if se != nil && se.retryAfter != "" {
		c.Response().Header().Set("Retry-After", se.retryAfter)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	body, merr := json.Marshal(p)
	if merr != nil {
		s.log.Error("encoding problem", "error", merr)
		return
	}
	if werr := c.Blob(p.Status, mimeProblem, body); werr != nil {
		s.log.Debug("writing problem", "error", werr)
	}
}
