package api

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// TokenAuth is the Authenticator on a planner.TokenService (bearer tokens
// stored hashed, docs/scenario-service.md). It remembers tokens it has
// verified for TTL, so a burst of requests does not query the database for
// each; a revoked token stops working within TTL.
type TokenAuth struct {
	tokens planner.TokenService
	ttl    time.Duration

	mu    sync.Mutex
	cache map[[32]byte]cachedToken // by sha256 of the token
}

// cachedToken is a verified token and when it was verified.
type cachedToken struct {
	tok planner.Token
	at  time.Time
}

// tokenCacheMax bounds the cache; it is cleared when full (tokens are few).
const tokenCacheMax = 1024

// NewTokenAuth returns an Authenticator on tokens that caches verified
// tokens for ttl (0: no cache).
func NewTokenAuth(tokens planner.TokenService, ttl time.Duration) *TokenAuth {
	return &TokenAuth{tokens: tokens, ttl: ttl, cache: map[[32]byte]cachedToken{}}
}

var (
	_ Authenticator = (*TokenAuth)(nil)
	_ tokenNamer    = (*TokenAuth)(nil)
)

// tokenNamer is an Authenticator that can also name a token's owner
// (recorded as a scenario's created_by).
type tokenNamer interface {
	TokenName(ctx context.Context, token string) (string, error)
}

// Authenticate implements Authenticator.
func (a *TokenAuth) Authenticate(ctx context.Context, token string) (Role, error) {
	tok, err := a.lookup(ctx, token)
	if err != nil {
		return RolePublic, err
	}
	return ParseRole(string(tok.Role))
}

// TokenName returns the name given to token when it was created.
func (a *TokenAuth) TokenName(ctx context.Context, token string) (string, error) {
	tok, err := a.lookup(ctx, token)
	if err != nil {
		return "", err
	}
	return tok.Name, nil
}

func (a *TokenAuth) lookup(ctx context.Context, token string) (*planner.Token, error) {
	key := sha256.Sum256([]byte(token))
	now := time.Now()
	if a.ttl > 0 {
		a.mu.Lock()
		c, ok := a.cache[key]
		a.mu.Unlock()
		if ok && now.Sub(c.at) < a.ttl {
			return &c.tok, nil
		}
	}
	tok, err := a.tokens.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	if a.ttl > 0 {
		a.mu.Lock()
		if len(a.cache) >= tokenCacheMax {
			clear(a.cache)
		}
		a.cache[key] = cachedToken{tok: *tok, at: now}
		a.mu.Unlock()
	}
	return tok, nil
}
