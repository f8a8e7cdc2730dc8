// Package sqlite implements store.Store on SQLite with the pure-Go driver
// modernc.org/sqlite.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tolk-l10n/tolk/internal/store"
)

var _ store.Store = (*DB)(nil)

// DB is a tolk store in one SQLite database file.
type DB struct {
	db     *sql.DB
	logger *slog.Logger
}

// dsnParams are set on every connection of the pool. With more than one
// connection SQLite needs WAL (readers do not block the writer), a busy
// timeout (a writer waits for the lock instead of failing) and immediate
// transactions (a transaction takes the write lock at BEGIN, because a
// deferred one that later upgrades to writing fails with SQLITE_BUSY at once,
// busy timeout or not); without them startup and concurrent writes fail with
// SQLITE_BUSY.
//
// synchronous(NORMAL) is the setting SQLite recommends with WAL: a commit
// survives a crash of the process (what "a job accepted before a crash runs
// after the restart" needs) and only a power loss may roll back the last
// commits. FULL fsyncs on every commit, which put 150-350 ms on the p90 of
// POST .../process on a slow disk; NORMAL keeps it near 20 ms.
const dsnParams = "_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"

// Open opens (creating if needed) the database at path and applies the
// schema migrations.
func Open(ctx context.Context, path string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + dsnParams
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{db: sqlDB, logger: logger}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// DB returns the handle River runs on.
func (db *DB) DB() *sql.DB { return db.db }

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// interpretError translates driver errors into the store's sentinels,
// keeping the original error in the chain.
func interpretError(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			// The row refers to a project, file or string that does not exist.
			return fmt.Errorf("%w: %w", store.ErrNotFound, err)
		}
	}
	return err
}

// Times are stored as unix milliseconds, NULL for the zero time.

func millis(t time.Time) int64 { return t.UnixMilli() }

func nullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMillis(ms.Int64)
}

// now is the store's clock, truncated to what the columns keep.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// orNow returns t truncated as stored, or now when t is zero.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return now()
	}
	return t.UTC().Truncate(time.Millisecond)
}

func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	return string(b), nil
}

// nullJSON encodes v, or NULL when isNil (a nil map or slice).
func nullJSON(v any, isNil bool) (any, error) {
	if isNil {
		return nil, nil
	}
	return toJSON(v)
}

func fromJSON(s sql.NullString, v any) error {
	if !s.Valid || s.String == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s.String), v); err != nil {
		return fmt.Errorf("decode json: %w", err)
	}
	return nil
}
