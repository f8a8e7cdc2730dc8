package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tolk-l10n/tolk/internal/store"
)

// defaultPseudoLocale is the pseudo locale of a project that names none.
const defaultPseudoLocale = "qps-ploc"

const projectColumns = `id, name, source_locale, target_locales, pseudo_locale, created_at, revision`

// ProjectCreate stores a new project; ID is assigned and CreatedAt set when
// zero.
func (db *DB) ProjectCreate(ctx context.Context, p store.Project) (store.Project, error) {
	if p.TargetLocales == nil {
		p.TargetLocales = []string{}
	}
	if p.PseudoLocale == "" {
		p.PseudoLocale = defaultPseudoLocale
	}
	p.CreatedAt = orNow(p.CreatedAt)
	locales, err := toJSON(p.TargetLocales)
	if err != nil {
		return store.Project{}, fmt.Errorf("store: create project: %w", err)
	}
	row := db.db.QueryRowContext(ctx, `INSERT INTO projects (name, source_locale, target_locales, pseudo_locale, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		p.Name, p.SourceLocale, locales, p.PseudoLocale, millis(p.CreatedAt))
	if err := row.Scan(&p.ID); err != nil {
		return store.Project{}, fmt.Errorf("store: create project: %w", interpretError(err))
	}
	return p, nil
}

// ProjectGet returns a project, or store.ErrNotFound.
func (db *DB) ProjectGet(ctx context.Context, id int64) (store.Project, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE id = ?`, id)
	p, err := scanProject(row)
	if err != nil {
		return store.Project{}, fmt.Errorf("store: get project %d: %w", id, interpretError(err))
	}
	return p, nil
}

// ProjectList returns every project by id.
func (db *DB) ProjectList(ctx context.Context) ([]store.Project, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+projectColumns+` FROM projects ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list projects: %w", err)
	}
	ps, err := collect(rows, scanProject)
	if err != nil {
		return nil, fmt.Errorf("store: list projects: %w", err)
	}
	return ps, nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanProject(s scanner) (store.Project, error) {
	var (
		p       store.Project
		locales sql.NullString
		created int64
	)
	if err := s.Scan(&p.ID, &p.Name, &p.SourceLocale, &locales, &p.PseudoLocale, &created, &p.Revision); err != nil {
		return p, err
	}
	p.CreatedAt = fromMillis(created)
	p.TargetLocales = []string{}
	return p, fromJSON(locales, &p.TargetLocales)
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
