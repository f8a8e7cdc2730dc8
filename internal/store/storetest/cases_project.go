package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/store"
)

func testSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.SettingGet(ctx, "admin_token_hash")
	wantErr(t, err, store.ErrNotFound)
	noErr(t, s.SettingPut(ctx, "admin_token_hash", "abc"))
	noErr(t, s.SettingPut(ctx, "other", "x"))
	if v := must(s.SettingGet(ctx, "admin_token_hash"))(t); v != "abc" {
		t.Errorf("setting = %q, want abc", v)
	}
	noErr(t, s.SettingPut(ctx, "admin_token_hash", "def"))
	if v := must(s.SettingGet(ctx, "admin_token_hash"))(t); v != "def" {
		t.Errorf("setting after overwrite = %q, want def", v)
	}
	noErr(t, s.Ping(ctx))
	if s.DB() == nil {
		t.Error("DB() = nil")
	}
}

func testProjects(t *testing.T, s store.Store) {
	ctx := context.Background()
	before := time.Now()
	p1 := newProject(t, s)
	if p1.ID <= 0 || p1.PseudoLocale != "qps-ploc" {
		t.Errorf("created project = %+v, want an id and pseudo locale qps-ploc", p1)
	}
	recent(t, "CreatedAt", p1.CreatedAt, before)
	p2 := must(s.ProjectCreate(ctx, store.Project{Name: "app", SourceLocale: "fr", PseudoLocale: "en-XA"}))(t)
	if p2.ID <= p1.ID {
		t.Errorf("second project id %d <= first %d", p2.ID, p1.ID)
	}
	got := must(s.ProjectGet(ctx, p1.ID))(t)
	if got.Name != "web" || got.SourceLocale != "en" || !equalStrings(got.TargetLocales, []string{"de-DE", "ja-JP"}) ||
		!got.CreatedAt.Equal(p1.CreatedAt) || got.PseudoLocale != "qps-ploc" {
		t.Errorf("ProjectGet = %+v, want %+v", got, p1)
	}
	got2 := must(s.ProjectGet(ctx, p2.ID))(t)
	if got2.PseudoLocale != "en-XA" || got2.TargetLocales == nil || len(got2.TargetLocales) != 0 {
		t.Errorf("ProjectGet = %+v, want pseudo en-XA and empty non-nil target locales", got2)
	}
	_, err := s.ProjectGet(ctx, p2.ID+100)
	wantErr(t, err, store.ErrNotFound)
	list := must(s.ProjectList(ctx))(t)
	if len(list) != 2 || list[0].ID != p1.ID || list[1].ID != p2.ID {
		t.Errorf("ProjectList = %+v, want the two projects by id", list)
	}
}

func testTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	before := time.Now()
	perms := []store.Permission{store.PermUploadWorkspace, store.PermTokenize}
	tok := must(s.TokenCreate(ctx, store.Token{ProjectID: p.ID, Name: "ci", Permissions: perms}, hash("s1")))(t)
	if tok.ID <= 0 {
		t.Errorf("token id = %d", tok.ID)
	}
	recent(t, "CreatedAt", tok.CreatedAt, before)
	got := must(s.TokenGetByHash(ctx, hash("s1")))(t)
	if got.ID != tok.ID || got.ProjectID != p.ID || got.Name != "ci" || len(got.Permissions) != 2 ||
		got.Permissions[0] != perms[0] || got.Permissions[1] != perms[1] || !got.CreatedAt.Equal(tok.CreatedAt) {
		t.Errorf("TokenGetByHash = %+v, want %+v", got, tok)
	}
	_, err := s.TokenGetByHash(ctx, hash("s2"))
	wantErr(t, err, store.ErrNotFound)
	_, err = s.TokenCreate(ctx, store.Token{ProjectID: p.ID, Name: "again"}, hash("s1"))
	wantErr(t, err, store.ErrConflict)
	_, err = s.TokenCreate(ctx, store.Token{ProjectID: p.ID + 100, Name: "orphan"}, hash("s3"))
	wantErr(t, err, store.ErrNotFound)
	if _, err := s.TokenGetByHash(ctx, hash("s3")); err == nil {
		t.Error("token of an unknown project was stored")
	}
	// A token bound to no project.
	must(s.TokenCreate(ctx, store.Token{Name: "instance"}, hash("s4")))(t)
	inst := must(s.TokenGetByHash(ctx, hash("s4")))(t)
	if inst.ProjectID != 0 || inst.Permissions == nil || len(inst.Permissions) != 0 {
		t.Errorf("instance token = %+v, want project 0 and no permissions", inst)
	}
}

func testTargetRules(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := newProject(t, s)
	if rs := must(s.TargetRuleList(ctx, p.ID))(t); len(rs) != 0 {
		t.Errorf("rules of a new project = %+v", rs)
	}
	noErr(t, s.TargetRulePut(ctx, store.TargetRule{ProjectID: p.ID, ID: "web", Rule: "$(targetLocale).json"}))
	noErr(t, s.TargetRulePut(ctx, store.TargetRule{ProjectID: p.ID, ID: "android", Rule: "values-$(targetLocale)/strings.xml"}))
	noErr(t, s.TargetRulePut(ctx, store.TargetRule{ProjectID: p.ID, ID: "web", Rule: "i18n/$(targetLocale).json"}))
	rs := must(s.TargetRuleList(ctx, p.ID))(t)
	want := []store.TargetRule{
		{ProjectID: p.ID, ID: "android", Rule: "values-$(targetLocale)/strings.xml"},
		{ProjectID: p.ID, ID: "web", Rule: "i18n/$(targetLocale).json"},
	}
	if len(rs) != len(want) || rs[0] != want[0] || rs[1] != want[1] {
		t.Errorf("TargetRuleList = %+v, want %+v", rs, want)
	}
	err := s.TargetRulePut(ctx, store.TargetRule{ProjectID: p.ID + 100, ID: "x", Rule: "y"})
	wantErr(t, err, store.ErrNotFound)
	other := newProject(t, s)
	if rs := must(s.TargetRuleList(ctx, other.ID))(t); len(rs) != 0 {
		t.Errorf("rules leak into another project: %+v", rs)
	}
}

func sameContent(a, b []byte) bool { return bytes.Equal(a, b) }
