package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

// TranslationPut adds or replaces translations, all or none. A translation
// of a string that does not exist is store.ErrNotFound and stores nothing.
// UpdatedAt is set when zero.
func (db *DB) TranslationPut(ctx context.Context, projectID int64, ts []store.Translation) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO translations
			(project_id, file_id, key, locale, text, plural, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (project_id, file_id, key, locale) DO UPDATE SET text = excluded.text,
				plural = excluded.plural, status = excluded.status, updated_at = excluded.updated_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, t := range ts {
			if err := putTranslation(ctx, stmt, projectID, t); err != nil {
				return fmt.Errorf("file %q key %q locale %s: %w", t.FileID, t.Key, t.Locale, interpretError(err))
			}
		}
		// One revision for the whole import (see migration 0002).
		_, err = tx.ExecContext(ctx, `UPDATE projects SET revision = revision + 1 WHERE id = ?`, projectID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: put translations of project %d: %w", projectID, err)
	}
	return nil
}

func putTranslation(ctx context.Context, stmt *sql.Stmt, projectID int64, t store.Translation) error {
	plural, err := nullJSON(t.Plural, t.Plural == nil)
	if err != nil {
		return err
	}
	_, err = stmt.ExecContext(ctx, projectID, t.FileID, t.Key, t.Locale, t.Text, plural, int(t.Status),
		millis(orNow(t.UpdatedAt)))
	return err
}

// TranslationList returns a file's translations in the given locales (all
// locales when none is given), in file order, then by locale.
func (db *DB) TranslationList(ctx context.Context, projectID int64, fileID string, locales []string) ([]store.Translation, error) {
	query := `SELECT t.file_id, t.key, t.locale, t.text, t.plural, t.status, t.updated_at
		FROM translations t JOIN strings s ON s.project_id = t.project_id AND s.file_id = t.file_id AND s.key = t.key
		WHERE t.project_id = ? AND t.file_id = ?`
	args := []any{projectID, fileID}
	if len(locales) > 0 {
		query += ` AND t.locale IN (?` + strings.Repeat(`, ?`, len(locales)-1) + `)`
		for _, l := range locales {
			args = append(args, l)
		}
	}
	rows, err := db.db.QueryContext(ctx, query+` ORDER BY s.seq, t.locale`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list translations of file %q: %w", fileID, err)
	}
	ts, err := collect(rows, scanTranslation)
	if err != nil {
		return nil, fmt.Errorf("store: list translations of file %q: %w", fileID, err)
	}
	return ts, nil
}

func scanTranslation(s scanner) (store.Translation, error) {
	var (
		t       store.Translation
		plural  sql.NullString
		status  int
		updated int64
	)
	if err := s.Scan(&t.FileID, &t.Key, &t.Locale, &t.Text, &plural, &status, &updated); err != nil {
		return t, err
	}
	t.Status = format.Status(status)
	t.UpdatedAt = fromMillis(updated)
	return t, fromJSON(plural, &t.Plural)
}
