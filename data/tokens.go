package data

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// TokenStore issues and checks API bearer tokens (table api_token,
// migration 00011). A token reads "pp_<id>_<secret>": id is 16 random hex
// digits that find the row, secret 32 random bytes in unpadded base64url.
// Only the sha256 of the whole token is stored, and it is compared in
// constant time, so neither the table nor timing reveals a usable token.
type TokenStore struct {
	db *sql.DB
}

var _ planner.TokenService = (*TokenStore)(nil)

// NewTokenStore returns a token store on db (the writer pool: the reader
// role cannot see api_token).
func NewTokenStore(db *sql.DB) *TokenStore { return &TokenStore{db: db} }

const (
	tokenPrefix      = "pp_"
	tokenIDBytes     = 8  // 16 hex digits
	tokenSecretBytes = 32 // 256 bits from crypto/rand
	tokenMaxLen      = 128

	sqlTokenInsert = `INSERT INTO api_token (id, name, role, hash) VALUES ($1, $2, $3, $4) RETURNING created_at`
	sqlTokenByID   = `SELECT name, role, hash, created_at FROM api_token WHERE id = $1 AND revoked_at IS NULL`
	sqlTokenRevoke = `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`
	sqlTokenList   = `SELECT id, name, role, created_at FROM api_token WHERE revoked_at IS NULL ORDER BY created_at, id`
)

// CreateToken implements planner.TokenService.
func (s *TokenStore) CreateToken(ctx context.Context, role planner.Role, name string) (string, *planner.Token, error) {
	if !role.Valid() {
		return "", nil, planner.FieldErrorf("role", "unknown role %q (want planner, reviewer or public)", role)
	}
	var idb [tokenIDBytes]byte
	var secret [tokenSecretBytes]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return "", nil, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", nil, err
	}
	id := hex.EncodeToString(idb[:])
	token := tokenPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(secret[:])
	hash := sha256.Sum256([]byte(token))
	tok := &planner.Token{ID: id, Name: name, Role: role}
	var created time.Time
	if err := s.db.QueryRowContext(ctx, sqlTokenInsert, id, name, string(role), hash[:]).Scan(&created); err != nil {
		return "", nil, err
	}
	tok.CreatedAt = created.UTC()
	return token, tok, nil
}

// unauthorized is the one error every bad token gets, so a client cannot
// tell an unknown id from a wrong secret.
func unauthorized() error {
	return planner.Errorf(planner.EUNAUTHORIZED, "invalid or revoked token")
}

// Authenticate implements planner.TokenService.
func (s *TokenStore) Authenticate(ctx context.Context, token string) (*planner.Token, error) {
	id, ok := tokenID(token)
	if !ok {
		return nil, unauthorized()
	}
	var (
		tok     = planner.Token{ID: id}
		role    string
		hash    []byte
		created time.Time
	)
	err := s.db.QueryRowContext(ctx, sqlTokenByID, id).Scan(&tok.Name, &role, &hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unauthorized()
	} else if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(sum[:], hash) != 1 {
		return nil, unauthorized()
	}
	tok.Role, tok.CreatedAt = planner.Role(role), created.UTC()
	return &tok, nil
}

// tokenID returns the id part of a well-formed token.
func tokenID(token string) (string, bool) {
	if len(token) > tokenMaxLen || !strings.HasPrefix(token, tokenPrefix) {
		return "", false
	}
	id, secret, ok := strings.Cut(token[len(tokenPrefix):], "_")
	if !ok || len(id) != 2*tokenIDBytes || len(secret) == 0 {
		return "", false
	}
	if _, err := hex.DecodeString(id); err != nil || strings.ToLower(id) != id {
		return "", false
	}
	return id, true
}

// RevokeToken revokes the token with the given id; an unknown or already
// revoked id is ENOTFOUND.
func (s *TokenStore) RevokeToken(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, sqlTokenRevoke, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return planner.Errorf(planner.ENOTFOUND, "no active token with id %q", id)
	}
	return nil
}

// ListTokens lists the active tokens (never their secrets), oldest first.
func (s *TokenStore) ListTokens(ctx context.Context) ([]planner.Token, error) {
	rows, err := s.db.QueryContext(ctx, sqlTokenList)
	if err != nil {
		return nil, err
	}
	toks := []planner.Token{}
	for rows.Next() {
		var t planner.Token
		var role string
		if err := rows.Scan(&t.ID, &t.Name, &role, &t.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		t.Role, t.CreatedAt = planner.Role(role), t.CreatedAt.UTC()
		toks = append(toks, t)
	}
	return toks, closeRows(rows)
}
