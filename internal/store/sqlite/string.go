package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/tolk-l10n/tolk/internal/format"
	"github.com/tolk-l10n/tolk/internal/store"
)

const stringColumns = `s.file_id, s.key, s.seq, s.source, s.plural, s.notes`

// StringList returns a file's strings in file order.
func (db *DB) StringList(ctx context.Context, projectID int64, fileID string) ([]store.String, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+stringColumns+` FROM strings s
		WHERE s.project_id = ? AND s.file_id = ? ORDER BY s.seq`, projectID, fileID)
	if err != nil {
		return nil, fmt.Errorf("store: list strings of file %q: %w", fileID, err)
	}
	ss, err := collect(rows, func(sc scanner) (store.String, error) { return scanString(sc) })
	if err != nil {
		return nil, fmt.Errorf("store: list strings of file %q: %w", fileID, err)
	}
	return ss, nil
}

// StringPage returns a page of a project's strings (of one file when
// p.FileID is set) ordered by file id and position, each with its
// translation in p.Locale when there is one, and the total number of
// strings selected. A Limit of 0 or less means no limit.
func (db *DB) StringPage(ctx context.Context, p store.StringListParams) ([]store.StringRow, int, error) {
	where, args := `s.project_id = ?`, []any{p.ProjectID}
	if p.FileID != "" {
		where += ` AND s.file_id = ?`
		args = append(args, p.FileID)
	}
	var total int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM strings s WHERE `+where, args...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("store: count strings of project %d: %w", p.ProjectID, err)
	}
	limit := p.Limit
	if limit <= 0 {
		limit = math.MaxInt32 // LIMIT ALL is not portable
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+stringColumns+`,
			t.locale, t.text, t.plural, t.status, t.updated_at
		FROM strings s LEFT JOIN translations t ON t.project_id = s.project_id
			AND t.file_id = s.file_id AND t.key = s.key AND t.locale = ?
		WHERE `+where+` ORDER BY s.file_id, s.seq LIMIT ? OFFSET ?`,
		append(append([]any{p.Locale}, args...), limit, max(p.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list strings of project %d: %w", p.ProjectID, err)
	}
	out, err := collect(rows, scanStringRow)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list strings of project %d: %w", p.ProjectID, err)
	}
	return out, total, nil
}

func scanString(s scanner, extra ...any) (store.String, error) {
	var (
		str           store.String
		plural, notes sql.NullString
	)
	dest := append([]any{&str.FileID, &str.Key, &str.Seq, &str.Source, &plural, &notes}, extra...)
	if err := s.Scan(dest...); err != nil {
		return str, err
	}
	if err := fromJSON(plural, &str.Plural); err != nil {
		return str, err
	}
	return str, fromJSON(notes, &str.Notes)
}

func scanStringRow(s scanner) (store.StringRow, error) {
	var (
		locale, text, plural sql.NullString
		status, updated      sql.NullInt64
	)
	str, err := scanString(s, &locale, &text, &plural, &status, &updated)
	if err != nil || !locale.Valid {
		return store.StringRow{String: str}, err
	}
	t := &store.Translation{FileID: str.FileID, Key: str.Key, Locale: locale.String, Text: text.String,
		Status: format.Status(status.Int64), UpdatedAt: fromNullMillis(updated)}
	if err := fromJSON(plural, &t.Plural); err != nil {
		return store.StringRow{}, err
	}
	return store.StringRow{String: str, Translation: t}, nil
}
