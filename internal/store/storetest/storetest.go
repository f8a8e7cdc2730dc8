// Package storetest is a conformance suite that every store.Store
// implementation runs, in the manner of River's riverdrivertest.
package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/store"
)

// Exercise runs the suite; open returns a new, empty store for each subtest
// (and closes it when the test ends).
func Exercise(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("Settings", func(t *testing.T) { testSettings(t, open(t)) })
	t.Run("Projects", func(t *testing.T) { testProjects(t, open(t)) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open(t)) })
	t.Run("TargetRules", func(t *testing.T) { testTargetRules(t, open(t)) })
	t.Run("FilePut", func(t *testing.T) { testFilePut(t, open(t)) })
	t.Run("FilePutErrors", func(t *testing.T) { testFilePutErrors(t, open(t)) })
	t.Run("FilePutKeepsUnchangedTranslations", func(t *testing.T) { testFilePutTranslations(t, open(t)) })
	t.Run("FileSettings", func(t *testing.T) { testFileSettings(t, open(t)) })
	t.Run("StringList", func(t *testing.T) { testStringList(t, open(t)) })
	t.Run("StringPage", func(t *testing.T) { testStringPage(t, open(t)) })
	t.Run("TranslationPut", func(t *testing.T) { testTranslationPut(t, open(t)) })
	t.Run("TranslationPutAtomic", func(t *testing.T) { testTranslationPutAtomic(t, open(t)) })
	t.Run("JobInsert", func(t *testing.T) { testJobInsert(t, open(t)) })
	t.Run("JobInsertEnqueueFails", func(t *testing.T) { testJobInsertEnqueueFails(t, open(t)) })
	t.Run("JobLifecycle", func(t *testing.T) { testJobLifecycle(t, open(t)) })
	t.Run("JobIDsNeverReused", func(t *testing.T) { testJobIDsNeverReused(t, open(t)) })
	t.Run("JobExpired", func(t *testing.T) { testJobExpired(t, open(t)) })
	t.Run("JobListUnfinished", func(t *testing.T) { testJobListUnfinished(t, open(t)) })
	t.Run("JobDedup", func(t *testing.T) { testJobDedup(t, open(t)) })
	t.Run("JobDedupConcurrent", func(t *testing.T) { testJobDedupConcurrent(t, open(t)) })
	t.Run("JobIdempotency", func(t *testing.T) { testJobIdempotency(t, open(t)) })
	t.Run("JobIdempotencyShared", func(t *testing.T) { testJobIdempotencyShared(t, open(t)) })
	t.Run("ProjectRevision", func(t *testing.T) { testProjectRevision(t, open(t)) })
}

// Helpers. The suite uses no assertion library, as the rest of tolk.

// must is used as must(call())(t): Go cannot pass t beside a
// multi-value call.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// recent checks that a time the store set lies within [before, now] up to
// millisecond rounding and is in UTC.
func recent(t *testing.T, what string, got, before time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s location = %v, want UTC", what, got.Location())
	}
	if got.Before(before.Add(-time.Millisecond)) || got.After(time.Now().Add(time.Millisecond)) {
		t.Errorf("%s = %v, want between %v and now", what, got, before)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func newProject(t *testing.T, s store.Store) store.Project {
	t.Helper()
	return must(s.ProjectCreate(context.Background(), store.Project{
		Name: "web", SourceLocale: "en", TargetLocales: []string{"de-DE", "ja-JP"}}))(t)
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func noEnqueue(context.Context, *sql.Tx, store.Job) error { return nil }
