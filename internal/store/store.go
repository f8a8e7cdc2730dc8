// Package store defines tolk's persistent model and the Store interface the
// HTTP API and the job runner use. Implementations live in subpackages, one
// per SQL dialect, over database/sql so that River can enqueue a job in the
// same transaction as the rows the job reads (see JobInsert).
package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tolk-l10n/tolk/internal/format"
)

// Sentinel errors; implementations translate driver errors into these.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("already exists")
)

// Permission is what a project token allows.
type Permission string

// The permissions, with the Rigi names they stand for.
const (
	PermSettings             Permission = "settings"              // Update project settings
	PermUploadWorkspace      Permission = "upload-workspace"      // Upload to workspace
	PermDownloadWorkspace    Permission = "download-workspace"    // Download from workspace
	PermUploadTranslations   Permission = "upload-translations"   // Upload translations
	PermDownloadTranslations Permission = "download-translations" // Download translations
	PermTokenize             Permission = "tokenize"              // Tokenize strings
)

// Permissions lists every permission in a stable order.
var Permissions = []Permission{PermSettings, PermUploadWorkspace, PermDownloadWorkspace,
	PermUploadTranslations, PermDownloadTranslations, PermTokenize}

type Project struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	SourceLocale  string    `json:"sourceLocale"`
	TargetLocales []string  `json:"targetLocales"`
	PseudoLocale  string    `json:"pseudoLocale"`
	CreatedAt     time.Time `json:"createdAt"`
	// Revision counts the changes to what an export reads (files, rules,
	// translations); identical export requests at one revision are one job.
	Revision int64 `json:"revision"`
}

type Token struct {
	ID          int64
	ProjectID   int64
	Name        string
	Permissions []Permission
	CreatedAt   time.Time
}

type TargetRule struct {
	ProjectID int64  `json:"projectId"`
	ID        string `json:"id"`
	Rule      string `json:"rule"`
}

// File is a workspace file. Its content is kept so that exports can parse
// and re-render it.
type File struct {
	ProjectID  int64          `json:"projectId"`
	ID         string         `json:"fileId"`
	Path       string         `json:"path"`
	Parser     string         `json:"parser"`
	TargetRule string         `json:"targetRule"`
	Settings   map[string]any `json:"settings,omitempty"` // as the user set them, defaults not filled in
	SHA256     string         `json:"sha256"`
	Size       int64          `json:"size"`
	Strings    int            `json:"strings"`
	UpdatedAt  time.Time      `json:"updatedAt"`
	Content    []byte         `json:"-"`
}

// String is a unit of a workspace file as stored.
type String struct {
	FileID string
	Key    string
	Seq    int // position in the file
	Source string
	Plural format.Forms
	Notes  []string
}

// Translation is a string's text in one locale.
type Translation struct {
	FileID    string
	Key       string
	Locale    string
	Text      string
	Plural    format.Forms
	Status    format.Status
	UpdatedAt time.Time
}

// JobKind is an export kind: "targets", "sources" or "pseudo".
type JobKind string

const (
	JobTargets JobKind = "targets"
	JobSources JobKind = "sources"
	JobPseudo  JobKind = "pseudo"
)

// Event is the Socket.IO event that announces the end of a job of kind k.
func (k JobKind) Event() string {
	switch k {
	case JobTargets:
		return "process_export_target"
	case JobSources:
		return "process_export_source"
	case JobPseudo:
		return "process_export_pseudo"
	}
	return ""
}

// JobStatus is where an export job is in its life.
type JobStatus string

const (
	JobQueued    JobStatus = "queued"
	JobRunning   JobStatus = "running"
	JobDone      JobStatus = "done"
	JobFailed    JobStatus = "failed"
	JobCancelled JobStatus = "cancelled"
	JobExpired   JobStatus = "expired"
)

// Ended reports whether s is final.
func (s JobStatus) Ended() bool {
	return s == JobDone || s == JobFailed || s == JobCancelled || s == JobExpired
}

// JobParams are the parameters of an export, stored with the job.
type JobParams struct {
	Locales []string `json:"locales,omitempty"`
	FileIDs []string `json:"fileIds,omitempty"`
	Tokens  *bool    `json:"tokens,omitempty"` // pseudo: wrap texts in tokens (default true)
}

// Job is an export job: the truth that notifications are built from.
type Job struct {
	ID        int64
	ProjectID int64
	Tenant    string
	Kind      JobKind
	Params    JobParams
	Status    JobStatus
	SocketID  string // deliver events to this socket only, when set
	DedupKey  string
	// IdempotencyKey is set by JobInsert when the request's
	// Idempotency-Key found this job (a retry); it is not a stored field of
	// the job, since several keys may name one job.
	IdempotencyKey string
	// Reused is set by JobInsert when it returned an existing job instead
	// of creating one; it is not stored.
	Reused     bool
	Error      string
	BlobKey    string
	Size       int64
	SHA256     string
	CreatedAt  time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	ExpiresAt  time.Time
}

// JobInsertParams describe a new job.
type JobInsertParams struct {
	ProjectID int64
	Tenant    string
	Kind      JobKind
	Params    JobParams
	SocketID  string
	// DedupKey identifies the request and the project content; a queued or
	// running job with the same key is returned instead of a new one.
	DedupKey string
	// IdempotencyKey, when set, returns the job an earlier request with the
	// same key created, whatever its status.
	IdempotencyKey string
}

// JobFinishParams record a job's end.
type JobFinishParams struct {
	ID        int64
	Status    JobStatus
	Error     string
	BlobKey   string
	Size      int64
	SHA256    string
	ExpiresAt time.Time
}

// FilePutParams replace a workspace file and its strings in one step.
type FilePutParams struct {
	File    File
	Strings []String
}

// FilePutResult tells what a file upload changed.
type FilePutResult struct {
	File    File
	Created bool // the file id was new (201 rather than 200)
	Added   int
	Changed int // keys whose source text changed; their translations are dropped
	Removed int
}

// TranslationPutResult tells what a translation import stored.
type TranslationPutResult struct {
	Stored int
}

// StringListParams select a page of strings with their translations.
type StringListParams struct {
	ProjectID int64
	Locale    string
	FileID    string
	Offset    int
	Limit     int
}

// StringRow is a string with its translation in one locale.
type StringRow struct {
	String
	Translation *Translation
}

// Store is everything tolk persists apart from blobs.
type Store interface {
	Ping(ctx context.Context) error
	Close() error

	// DB is the database handle River runs on, so that jobs live in the
	// same database as the data.
	DB() *sql.DB

	SettingGet(ctx context.Context, key string) (string, error)
	SettingPut(ctx context.Context, key, value string) error

	ProjectCreate(ctx context.Context, p Project) (Project, error)
	ProjectGet(ctx context.Context, id int64) (Project, error)
	ProjectList(ctx context.Context) ([]Project, error)

	// TokenCreate stores a token by the hash of its secret.
	TokenCreate(ctx context.Context, t Token, secretHash []byte) (Token, error)
	TokenGetByHash(ctx context.Context, secretHash []byte) (Token, error)

	TargetRulePut(ctx context.Context, r TargetRule) error
	TargetRuleList(ctx context.Context, projectID int64) ([]TargetRule, error)

	// FilePut adds or replaces a file and its strings atomically.
	// Translations of keys whose source text did not change are kept.
	FilePut(ctx context.Context, p FilePutParams) (FilePutResult, error)
	FileGet(ctx context.Context, projectID int64, fileID string) (File, error)
	// FileList returns the project's files with their content.
	FileList(ctx context.Context, projectID int64) ([]File, error)
	FileSettingsPut(ctx context.Context, projectID int64, fileID string, settings map[string]any) error

	StringList(ctx context.Context, projectID int64, fileID string) ([]String, error)
	StringPage(ctx context.Context, p StringListParams) ([]StringRow, int, error)

	// TranslationPut stores translations atomically (all or none).
	TranslationPut(ctx context.Context, projectID int64, ts []Translation) error
	// TranslationList returns a file's translations in the given locales.
	TranslationList(ctx context.Context, projectID int64, fileID string, locales []string) ([]Translation, error)

	// JobInsert creates a job row and calls enqueue in the same
	// transaction, so a job is never recorded without being queued. When
	// p's IdempotencyKey or DedupKey names an existing job, that job is
	// returned with Reused set and nothing is enqueued.
	JobInsert(ctx context.Context, p JobInsertParams, enqueue func(ctx context.Context, tx *sql.Tx, job Job) error) (Job, error)
	JobGet(ctx context.Context, id int64) (Job, error)
	// JobStart marks a job running; it fails with ErrNotFound when the job
	// is not queued or running (cancelled meanwhile).
	JobStart(ctx context.Context, id int64) (Job, error)
	JobFinish(ctx context.Context, p JobFinishParams) (Job, error)
	// JobExpiredList returns done jobs whose artifacts expired before t.
	JobExpiredList(ctx context.Context, t time.Time, limit int) ([]Job, error)
	// JobMarkExpired moves a done job to expired once its artifact is
	// deleted; other statuses are left alone.
	JobMarkExpired(ctx context.Context, id int64) error
	// JobListUnfinished returns jobs still queued or running, oldest first,
	// so the runner can reconcile them with the queue after a restart.
	JobListUnfinished(ctx context.Context, limit int) ([]Job, error)
	// JobCountUnfinished counts a project's queued and running jobs.
	JobCountUnfinished(ctx context.Context, projectID int64) (int, error)
}
