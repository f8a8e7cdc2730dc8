package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/tolk-l10n/tolk/internal/store"
)

const fileColumns = `project_id, id, path, parser, target_rule, settings, content, sha256, size, strings, updated_at`

// FilePut adds or replaces a file and its strings in one transaction. The
// file's SHA256, Size and Strings are computed from Content and p.Strings;
// UpdatedAt is set when zero. A nil Settings keeps the settings already
// stored (an upload does not reset parser settings).
//
// A string whose source text or plural forms changed loses its translations
// (they translate a text that no longer exists); a removed string loses them
// too; an unchanged string keeps them. Another file of the project at the
// same path is store.ErrConflict, as is a key given twice; an unknown
// project is store.ErrNotFound.
func (db *DB) FilePut(ctx context.Context, p store.FilePutParams) (store.FilePutResult, error) {
	f := p.File
	if f.Content == nil {
		f.Content = []byte{}
	}
	sum := sha256.Sum256(f.Content)
	f.SHA256 = hex.EncodeToString(sum[:])
	f.Size = int64(len(f.Content))
	f.Strings = len(p.Strings)
	f.UpdatedAt = orNow(f.UpdatedAt)
	res := store.FilePutResult{}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkDuplicateKeys(p.Strings); err != nil {
			return err
		}
		var err error
		res.Created, err = upsertFile(ctx, tx, &f)
		if err != nil {
			return err
		}
		res.Added, res.Changed, res.Removed, err = replaceStrings(ctx, tx, f.ProjectID, f.ID, p.Strings)
		return err
	})
	if err != nil {
		return store.FilePutResult{}, fmt.Errorf("store: put file %q of project %d: %w", f.ID, f.ProjectID, interpretError(err))
	}
	res.File = f
	return res, nil
}

func checkDuplicateKeys(ss []store.String) error {
	seen := make(map[string]bool, len(ss))
	for _, s := range ss {
		if seen[s.Key] {
			return fmt.Errorf("duplicate key %q: %w", s.Key, store.ErrConflict)
		}
		seen[s.Key] = true
	}
	return nil
}

// upsertFile inserts or updates the file row and reports whether it was new.
// It fills f.Settings from the stored row when f.Settings is nil.
func upsertFile(ctx context.Context, tx *sql.Tx, f *store.File) (bool, error) {
	var stored sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT settings FROM files WHERE project_id = ? AND id = ?`,
		f.ProjectID, f.ID).Scan(&stored)
	created := errors.Is(err, sql.ErrNoRows)
	if err != nil && !created {
		return false, err
	}
	if f.Settings == nil {
		f.Settings = map[string]any{}
		if err := fromJSON(stored, &f.Settings); err != nil {
			return false, err
		}
	}
	settings, err := toJSON(f.Settings)
	if err != nil {
		return false, err
	}
	if created {
		_, err = tx.ExecContext(ctx, `INSERT INTO files (`+fileColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.ProjectID, f.ID, f.Path, f.Parser, f.TargetRule, settings, f.Content, f.SHA256, f.Size, f.Strings, millis(f.UpdatedAt))
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE files SET path = ?, parser = ?, target_rule = ?, settings = ?,
			content = ?, sha256 = ?, size = ?, strings = ?, updated_at = ? WHERE project_id = ? AND id = ?`,
			f.Path, f.Parser, f.TargetRule, settings, f.Content, f.SHA256, f.Size, f.Strings, millis(f.UpdatedAt), f.ProjectID, f.ID)
	}
	return created, err
}

// storedSource is a stored string as replaceStrings compares it.
type storedSource struct {
	source string
	plural sql.NullString
	notes  sql.NullString
	seq    int
}

// stringStmts are replaceStrings' statements, prepared once per upload: a
// file of 200,000 strings would otherwise parse each statement 200,000
// times while holding the database's only write lock.
type stringStmts struct {
	insert, update, dropTranslations, drop *sql.Stmt
}

func prepareStringStmts(ctx context.Context, tx *sql.Tx) (*stringStmts, error) {
	var st stringStmts
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.insert, `INSERT INTO strings (project_id, file_id, key, seq, source, plural, notes) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&st.update, `UPDATE strings SET seq = ?, source = ?, plural = ?, notes = ? WHERE project_id = ? AND file_id = ? AND key = ?`},
		{&st.dropTranslations, `DELETE FROM translations WHERE project_id = ? AND file_id = ? AND key = ?`},
		{&st.drop, `DELETE FROM strings WHERE project_id = ? AND file_id = ? AND key = ?`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			st.close()
			return nil, err
		}
		*p.dst = stmt
	}
	return &st, nil
}

func (st *stringStmts) close() {
	for _, s := range []*sql.Stmt{st.insert, st.update, st.dropTranslations, st.drop} {
		if s != nil {
			s.Close()
		}
	}
}

// replaceStrings makes the file's strings equal to ss, dropping the
// translations of removed and changed keys. Unchanged strings are not
// written at all, so re-uploading a big file with one change is cheap.
func replaceStrings(ctx context.Context, tx *sql.Tx, projectID int64, fileID string, ss []store.String) (added, changed, removed int, err error) {
	old, err := loadSources(ctx, tx, projectID, fileID)
	if err != nil {
		return 0, 0, 0, err
	}
	st, err := prepareStringStmts(ctx, tx)
	if err != nil {
		return 0, 0, 0, err
	}
	defer st.close()
	for i, s := range ss {
		plural, err := nullJSON(s.Plural, s.Plural == nil)
		if err != nil {
			return 0, 0, 0, err
		}
		notes, err := nullJSON(s.Notes, s.Notes == nil)
		if err != nil {
			return 0, 0, 0, err
		}
		prev, exists := old[s.Key]
		delete(old, s.Key)
		switch {
		case !exists:
			added++
			_, err = st.insert.ExecContext(ctx, projectID, fileID, s.Key, i, s.Source, plural, notes)
		case sourceChanged(prev, s):
			changed++
			_, err = st.dropTranslations.ExecContext(ctx, projectID, fileID, s.Key)
			if err == nil {
				_, err = st.update.ExecContext(ctx, i, s.Source, plural, notes, projectID, fileID, s.Key)
			}
		case prev.seq != i || prev.notes != asNullString(notes):
			_, err = st.update.ExecContext(ctx, i, s.Source, plural, notes, projectID, fileID, s.Key)
		}
		if err != nil {
			return 0, 0, 0, fmt.Errorf("key %q: %w", s.Key, err)
		}
	}
	for key := range old {
		removed++
		// Deleted explicitly rather than left to ON DELETE CASCADE, so the
		// rule holds whatever the foreign key settings.
		_, err := st.dropTranslations.ExecContext(ctx, projectID, fileID, key)
		if err == nil {
			_, err = st.drop.ExecContext(ctx, projectID, fileID, key)
		}
		if err != nil {
			return 0, 0, 0, fmt.Errorf("remove key %q: %w", key, err)
		}
	}
	return added, changed, removed, nil
}

// asNullString is how a nullJSON value reads back from the database.
func asNullString(v any) sql.NullString {
	if s, ok := v.(string); ok {
		return sql.NullString{String: s, Valid: true}
	}
	return sql.NullString{}
}

func loadSources(ctx context.Context, tx *sql.Tx, projectID int64, fileID string) (map[string]storedSource, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, source, plural, notes, seq FROM strings WHERE project_id = ? AND file_id = ?`,
		projectID, fileID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	old := map[string]storedSource{}
	for rows.Next() {
		var (
			key string
			s   storedSource
		)
		if err := rows.Scan(&key, &s.source, &s.plural, &s.notes, &s.seq); err != nil {
			return nil, err
		}
		old[key] = s
	}
	return old, rows.Err()
}

// sourceChanged compares a stored string with a new one: the source text,
// whether it is a plural, and its plural forms.
func sourceChanged(prev storedSource, s store.String) bool {
	if prev.source != s.Source || prev.plural.Valid != (s.Plural != nil) {
		return true
	}
	if s.Plural == nil {
		return false
	}
	var forms map[string]string
	if err := fromJSON(prev.plural, &forms); err != nil || len(forms) != len(s.Plural) {
		return true
	}
	for cat, text := range s.Plural {
		if prevText, ok := forms[cat]; !ok || prevText != text {
			return true
		}
	}
	return false
}

// FileGet returns a file with its content, or store.ErrNotFound.
func (db *DB) FileGet(ctx context.Context, projectID int64, fileID string) (store.File, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+fileColumns+` FROM files WHERE project_id = ? AND id = ?`,
		projectID, fileID)
	f, err := scanFile(row)
	if err != nil {
		return store.File{}, fmt.Errorf("store: get file %q of project %d: %w", fileID, projectID, interpretError(err))
	}
	return f, nil
}

// FileList returns a project's files with their content, by path.
func (db *DB) FileList(ctx context.Context, projectID int64) ([]store.File, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+fileColumns+` FROM files WHERE project_id = ? ORDER BY path`, projectID)
	if err != nil {
		return nil, fmt.Errorf("store: list files of project %d: %w", projectID, err)
	}
	fs, err := collect(rows, scanFile)
	if err != nil {
		return nil, fmt.Errorf("store: list files of project %d: %w", projectID, err)
	}
	return fs, nil
}

// FileSettingsPut replaces a file's parser settings (as the user set them);
// an unknown file is store.ErrNotFound.
func (db *DB) FileSettingsPut(ctx context.Context, projectID int64, fileID string, settings map[string]any) error {
	if settings == nil {
		settings = map[string]any{}
	}
	js, err := toJSON(settings)
	if err != nil {
		return fmt.Errorf("store: put settings of file %q: %w", fileID, err)
	}
	res, err := db.db.ExecContext(ctx, `UPDATE files SET settings = ? WHERE project_id = ? AND id = ?`,
		js, projectID, fileID)
	if err == nil {
		err = mustAffect(res)
	}
	if err != nil {
		return fmt.Errorf("store: put settings of file %q of project %d: %w", fileID, projectID, interpretError(err))
	}
	return nil
}

// mustAffect turns an update of no row into sql.ErrNoRows.
func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}

func scanFile(s scanner) (store.File, error) {
	var (
		f        store.File
		settings sql.NullString
		updated  int64
	)
	err := s.Scan(&f.ProjectID, &f.ID, &f.Path, &f.Parser, &f.TargetRule, &settings, &f.Content,
		&f.SHA256, &f.Size, &f.Strings, &updated)
	if err != nil {
		return f, err
	}
	if f.Content == nil {
		f.Content = []byte{}
	}
	f.UpdatedAt = fromMillis(updated)
	f.Settings = map[string]any{}
	return f, fromJSON(settings, &f.Settings)
}
