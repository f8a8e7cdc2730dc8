// Package auth turns bearer tokens into principals and decides what they may
// do. Tokens are random 256-bit secrets, so a single SHA-256 is enough to
// store them safely (no password stretching is needed for high-entropy
// secrets); only the hash is ever stored.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tolk-l10n/tolk/internal/store"
)

// Errors a caller maps to 401 and 403.
var (
	ErrUnauthenticated = errors.New("missing or unknown token")
	ErrForbidden       = errors.New("token not allowed")
)

// tokenPrefix marks tolk tokens so that secret scanners can find them.
const tokenPrefix = "tolk_"

// Principal is who a request acts for.
type Principal struct {
	Admin       bool
	ProjectID   int64 // 0 for the admin
	TokenID     int64
	Permissions []store.Permission
}

// Can reports whether p may act on project with any of perms. The admin may
// do everything.
func (p Principal) Can(project int64, perms ...store.Permission) bool {
	if p.Admin {
		return true
	}
	if p.ProjectID != project {
		return false
	}
	for _, want := range perms {
		if slices.Contains(p.Permissions, want) {
			return true
		}
	}
	return false
}

// Sees reports whether p may see project at all (any permission on it).
func (p Principal) Sees(project int64) bool {
	return p.Admin || (p.ProjectID == project && len(p.Permissions) > 0)
}

// Check is Can as an error: ErrForbidden says which permission is missing.
func (p Principal) Check(project int64, perms ...store.Permission) error {
	if p.Can(project, perms...) {
		return nil
	}
	if !p.Admin && p.ProjectID != project {
		return fmt.Errorf("%w: the token belongs to project %d, not %d", ErrForbidden, p.ProjectID, project)
	}
	names := make([]string, len(perms))
	for i, pm := range perms {
		names[i] = string(pm)
	}
	return fmt.Errorf("%w: needs permission %s on project %d", ErrForbidden, strings.Join(names, " or "), project)
}

// TokenStore is the part of the store that auth reads.
type TokenStore interface {
	TokenGetByHash(ctx context.Context, hash []byte) (store.Token, error)
}

// Authenticator resolves tokens.
type Authenticator struct {
	adminHash []byte
	tokens    TokenStore
}

// NewAuthenticator checks tokens against the admin token's hash and the
// project tokens in ts.
func NewAuthenticator(adminHash []byte, ts TokenStore) *Authenticator {
	return &Authenticator{adminHash: adminHash, tokens: ts}
}

// Authenticate returns the principal of a token.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, ErrUnauthenticated
	}
	h := Hash(token)
	if subtle.ConstantTimeCompare(h, a.adminHash) == 1 {
		return Principal{Admin: true}, nil
	}
	t, err := a.tokens.TokenGetByHash(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("auth: look up token: %w", err)
	}
	return Principal{ProjectID: t.ProjectID, TokenID: t.ID, Permissions: t.Permissions}, nil
}

// Hash is how a token is stored.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewToken returns a fresh random token.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// ParsePermissions validates permission names.
func ParsePermissions(names []string) ([]store.Permission, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("a token needs at least one permission (%s)", permissionList())
	}
	out := make([]store.Permission, 0, len(names))
	for _, n := range names {
		p := store.Permission(n)
		if !slices.Contains(store.Permissions, p) {
			return nil, fmt.Errorf("unknown permission %q (want %s)", n, permissionList())
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

func permissionList() string {
	s := make([]string, len(store.Permissions))
	for i, p := range store.Permissions {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

// KindPermissions are the permissions that allow an export kind (any one).
func KindPermissions(kind store.JobKind) []store.Permission {
	if kind == store.JobTargets {
		return []store.Permission{store.PermDownloadTranslations}
	}
	return []store.Permission{store.PermTokenize, store.PermDownloadWorkspace}
}
