package planner

import (
	"context"
	"time"
)

// Role is what an API client may do. Roles nest: planner ⊃ reviewer ⊃ public.
type Role string

// Roles.
const (
	// RolePublic reads published scenarios and the base layers.
	RolePublic Role = "public"
	// RoleReviewer (the natural-resources bureau) reads everything and runs quota checks.
	RoleReviewer Role = "reviewer"
	// RolePlanner (the economy and information bureau) also creates, runs,
	// cancels, publishes and deletes scenarios.
	RolePlanner Role = "planner"
)

// EUNAUTHORIZED is the error code of a missing, malformed, unknown or
// revoked token (HTTP 401).
const EUNAUTHORIZED = "unauthorized"

// rank orders the roles; unknown roles rank below public.
func (r Role) rank() int {
	switch r {
	case RolePublic:
		return 1
	case RoleReviewer:
		return 2
	case RolePlanner:
		return 3
	}
	return 0
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether a client with role r may do what needs role need.
func (r Role) Allows(need Role) bool { return r.Valid() && r.rank() >= need.rank() }

// ParseRole returns the role named s, or an EINVALID error naming field.
func ParseRole(field, s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", FieldErrorf(field, "unknown role %q (want planner, reviewer or public)", s)
	}
	return r, nil
}

// Token is an API token's record; the secret itself is never stored.
type Token struct {
	ID        string    `json:"id"` // public part of the token, also its key
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"` // UTC
}

// TokenService issues and checks bearer tokens.
type TokenService interface {
	// CreateToken makes a token for role and returns its secret (shown to
	// the user once) with its record.
	CreateToken(ctx context.Context, role Role, name string) (secret string, tok *Token, err error)
	// Authenticate returns the token whose secret is given; an unknown,
	// malformed or revoked secret is EUNAUTHORIZED.
	Authenticate(ctx context.Context, secret string) (*Token, error)
}
