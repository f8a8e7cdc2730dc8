package sqlite

import (
	"context"
	"fmt"
)

// SettingGet returns an instance setting, or store.ErrNotFound.
func (db *DB) SettingGet(ctx context.Context, key string) (string, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("store: get setting %q: %w", key, interpretError(err))
	}
	return v, nil
}

// SettingPut sets an instance setting.
func (db *DB) SettingPut(ctx context.Context, key, value string) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: put setting %q: %w", key, interpretError(err))
	}
	return nil
}
