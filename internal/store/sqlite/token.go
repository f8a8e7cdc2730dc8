package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tolk-l10n/tolk/internal/store"
)

// TokenCreate stores a token by the hash of its secret. A ProjectID of 0
// stores a token bound to no project. A hash already stored is
// store.ErrConflict; an unknown project is store.ErrNotFound.
func (db *DB) TokenCreate(ctx context.Context, t store.Token, secretHash []byte) (store.Token, error) {
	if t.Permissions == nil {
		t.Permissions = []store.Permission{}
	}
	t.CreatedAt = orNow(t.CreatedAt)
	perms, err := toJSON(t.Permissions)
	if err != nil {
		return store.Token{}, fmt.Errorf("store: create token: %w", err)
	}
	var projectID any
	if t.ProjectID != 0 {
		projectID = t.ProjectID
	}
	row := db.db.QueryRowContext(ctx, `INSERT INTO tokens (project_id, name, secret_hash, permissions, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		projectID, t.Name, secretHash, perms, millis(t.CreatedAt))
	if err := row.Scan(&t.ID); err != nil {
		return store.Token{}, fmt.Errorf("store: create token: %w", interpretError(err))
	}
	return t, nil
}

// TokenGetByHash returns the token whose secret hashes to secretHash, or
// store.ErrNotFound.
func (db *DB) TokenGetByHash(ctx context.Context, secretHash []byte) (store.Token, error) {
	var (
		t         store.Token
		projectID sql.NullInt64
		perms     sql.NullString
		created   int64
	)
	err := db.db.QueryRowContext(ctx, `SELECT id, project_id, name, permissions, created_at
		FROM tokens WHERE secret_hash = ?`, secretHash).Scan(&t.ID, &projectID, &t.Name, &perms, &created)
	if err != nil {
		return store.Token{}, fmt.Errorf("store: get token by hash: %w", interpretError(err))
	}
	t.ProjectID = projectID.Int64
	t.CreatedAt = fromMillis(created)
	t.Permissions = []store.Permission{}
	if err := fromJSON(perms, &t.Permissions); err != nil {
		return store.Token{}, fmt.Errorf("store: get token %d: %w", t.ID, err)
	}
	return t, nil
}
