package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// Role is what a caller may do. Roles are ordered: planner ⊃ reviewer ⊃ public.
type Role int

// Roles, least to most.
const (
	RolePublic   Role = iota // read published scenarios and base layers
	RoleReviewer             // read everything, run quota checks (natural-resources bureau)
	RolePlanner              // create, run and delete scenarios
)

// String returns the role's name as tokens and docs spell it.
func (r Role) String() string {
	switch r {
	case RolePublic:
		return "public"
	case RoleReviewer:
		return "reviewer"
	case RolePlanner:
		return "planner"
	}
	return "unknown"
}

// ParseRole parses "public", "reviewer" or "planner".
func ParseRole(s string) (Role, error) {
	switch s {
	case "public":
		return RolePublic, nil
	case "reviewer":
		return RoleReviewer, nil
	case "planner":
		return RolePlanner, nil
	}
	return 0, planner.FieldErrorf("role", "unknown role %q (want public, reviewer or planner)", s)
}

// Authenticator resolves a bearer token to its role. An unknown, revoked
// or expired token is an error (any code; the caller answers 401).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (Role, error)
}

// roleKey is the echo.Context key of the caller's role.
const roleKey = "parkplan.role"

// authenticate resolves the Authorization header (if any) to a role and
// stores it on the context; no header means the public role.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		if h == "" {
			c.Set(roleKey, RolePublic)
			return next(c)
		}
		// RFC 9110 §11.1: the scheme is case-insensitive ("bearer" too),
		// and one or more spaces separate it from the token.
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimLeft(token, " ")
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return unauthorized("the Authorization header must be \"Bearer <token>\"")
		}
		if s.deps.Auth == nil {
			return unauthorized("this server accepts no tokens")
		}
		role, err := s.deps.Auth.Authenticate(c.Request().Context(), token)
		if err != nil {
			if c.Request().Context().Err() != nil {
				return c.Request().Context().Err()
			}
			if planner.ErrorCode(err) == planner.EINTERNAL {
				return err
			}
			return unauthorized("unknown or revoked token")
		}
		c.Set(roleKey, role)
		return next(c)
	}
}

// unauthorized returns a 401 problem naming the Authorization header.
func unauthorized(msg string) error {
	c := &statusError{status: http.StatusUnauthorized,
		err: &planner.Error{Code: planner.EINVALID, Field: "header.Authorization", Message: msg}}
	return c
}

// roleOf returns the caller's role (public when unauthenticated).
func roleOf(c echo.Context) Role {
	if r, ok := c.Get(roleKey).(Role); ok {
		return r
	}
	return RolePublic
}

// require is route middleware that lets through callers with at least
// role: 401 for an anonymous caller, 403 for a weaker role.
func (s *Server) require(role Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			have := roleOf(c)
			if have >= role {
				return next(c)
			}
			msg := "this needs the " + role.String() + " role; the token's role is " + have.String()
			status := http.StatusForbidden
			if c.Request().Header.Get(echo.HeaderAuthorization) == "" {
				status = http.StatusUnauthorized
				msg = "this needs the " + role.String() + " role: send Authorization: Bearer <token>"
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="parkplan"`)
			}
			return &statusError{status: status,
				err: &planner.Error{Code: planner.EINVALID, Field: "header.Authorization", Message: msg}}
		}
	}
}
