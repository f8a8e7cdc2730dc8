package sqlite

import (
	"context"
	"fmt"

	"github.com/tolk-l10n/tolk/internal/store"
)

// TargetRulePut adds or replaces a project's target rule; an unknown project
// is store.ErrNotFound.
func (db *DB) TargetRulePut(ctx context.Context, r store.TargetRule) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO target_rules (project_id, id, rule) VALUES (?, ?, ?)
		ON CONFLICT (project_id, id) DO UPDATE SET rule = excluded.rule`, r.ProjectID, r.ID, r.Rule)
	if err != nil {
		return fmt.Errorf("store: put target rule %q of project %d: %w", r.ID, r.ProjectID, interpretError(err))
	}
	return nil
}

// TargetRuleList returns a project's target rules by id.
func (db *DB) TargetRuleList(ctx context.Context, projectID int64) ([]store.TargetRule, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT project_id, id, rule FROM target_rules
		WHERE project_id = ? ORDER BY id`, projectID)
	if err != nil {
		return nil, fmt.Errorf("store: list target rules of project %d: %w", projectID, err)
	}
	rs, err := collect(rows, func(s scanner) (store.TargetRule, error) {
		var r store.TargetRule
		return r, s.Scan(&r.ProjectID, &r.ID, &r.Rule)
	})
	if err != nil {
		return nil, fmt.Errorf("store: list target rules of project %d: %w", projectID, err)
	}
	return rs, nil
}
