package client

import (
	"encoding/json"
	"strconv"
	"time"
)

// Project is a localization project.
type Project struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	SourceLocale  string    `json:"sourceLocale"`
	TargetLocales []string  `json:"targetLocales"`
	PseudoLocale  string    `json:"pseudoLocale,omitempty"`
	CreatedAt     time.Time `json:"createdAt,omitzero"`
}

// ProjectCreate is the body of a project creation.
type ProjectCreate struct {
	Name          string   `json:"name"`
	SourceLocale  string   `json:"sourceLocale"`
	TargetLocales []string `json:"targetLocales"`
	PseudoLocale  string   `json:"pseudoLocale,omitempty"`
}

// Permission names of project tokens.
const (
	PermSettings             = "settings"
	PermUploadWorkspace      = "upload-workspace"
	PermDownloadWorkspace    = "download-workspace"
	PermUploadTranslations   = "upload-translations"
	PermDownloadTranslations = "download-translations"
	PermTokenize             = "tokenize"
)

// Token is a project access token. Secret is only set in the answer of its
// creation.
type Token struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
	Secret      string   `json:"token,omitempty"`
}

// TargetRule maps a source file path to the path of its translations.
type TargetRule struct {
	ID   string `json:"id"`
	Rule string `json:"rule"`
}

// File is a workspace file: a source file with its parser and target rule.
type File struct {
	FileID     string `json:"fileId"`
	Path       string `json:"path"`
	Parser     string `json:"parser"`
	TargetRule string `json:"targetRule"`
	Strings    int    `json:"strings,omitempty"`
	Size       int64  `json:"size,omitempty"`
	SHA256     string `json:"sha256,omitempty"`
}

// FileUpload describes a source file to store in the workspace.
type FileUpload struct {
	FileID     string
	Path       string // slash-separated, relative to the project
	Parser     string // e.g. "json"
	TargetRule string // a target rule id, e.g. "TR_json"
}

// FileResult is the answer to a file upload. Created tells a new file from
// a replaced one.
type FileResult struct {
	File
	Added   int  `json:"added"`
	Changed int  `json:"changed"`
	Removed int  `json:"removed"`
	Created bool `json:"-"`
}

// TranslationResult is the answer to a translation upload.
type TranslationResult struct {
	Stored        int      `json:"stored"`
	Untranslated  int      `json:"untranslated"`
	UnknownKeys   []string `json:"unknownKeys"`
	DuplicateKeys []string `json:"duplicateKeys"`
}

// Job states.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
	JobExpired   = "expired"
)

// Job is the state of an export job.
type Job struct {
	JobID      int64           `json:"jobId"`
	ProjectID  int64           `json:"projectId"`
	Kind       string          `json:"kind"`
	Status     string          `json:"status"`
	DownloadID string          `json:"downloadId"`
	Event      string          `json:"event"`
	Params     json.RawMessage `json:"params,omitempty"`
	Error      string          `json:"error,omitempty"`
	URL        string          `json:"url,omitempty"`
	Size       int64           `json:"size,omitempty"`
	SHA256     string          `json:"sha256,omitempty"`
	Progress   *JobProgress    `json:"progress,omitempty"`
	CreatedAt  time.Time       `json:"createdAt,omitzero"`
	StartedAt  time.Time       `json:"startedAt,omitzero"`
	FinishedAt time.Time       `json:"finishedAt,omitzero"`
	ExpiresAt  time.Time       `json:"expiresAt,omitzero"`
}

// Ended reports whether the job will not change any more.
func (j *Job) Ended() bool {
	switch j.Status {
	case JobDone, JobFailed, JobCancelled, JobExpired:
		return true
	}
	return false
}

// JobProgress is where a running job is: its stage (queued, collecting,
// rendering, zipping) and, while rendering, the files done out of total.
type JobProgress struct {
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// processAnswer is the 202 answer to a process request.
type processAnswer struct {
	JobID       int64  `json:"jobId"`
	DownloadID  string `json:"downloadId"`
	Status      string `json:"status"`
	Event       string `json:"event"`
	StatusURL   string `json:"statusUrl"`
	DownloadURL string `json:"downloadUrl"`
}

// processEvent is the payload of a completion (or progress) event. Legacy
// servers send downloadId only: the job id as a string on success, the
// error message on failure.
type processEvent struct {
	DownloadID string          `json:"downloadId"`
	JobID      flexInt         `json:"jobId"`
	ProjectID  flexInt         `json:"projectId"`
	Kind       string          `json:"kind"`
	Status     string          `json:"status"`
	URL        string          `json:"url"`
	Size       int64           `json:"size"`
	SHA256     string          `json:"sha256"`
	Error      json.RawMessage `json:"error"`
	Progress   *JobProgress    `json:"progress"`
}

// errorMessage reads the structured error ({"message"}) or a bare string.
func (e processEvent) errorMessage() string {
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(e.Error, &m) == nil && m.Message != "" {
		return m.Message
	}
	var s string
	if json.Unmarshal(e.Error, &s) == nil && s != "" {
		return s
	}
	return e.DownloadID
}

// flexInt accepts a JSON number or a numeric string.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			*f = 0
			return nil
		}
		*f = flexInt(n)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexInt(n)
	return nil
}

// UnmarshalJSON accepts the file id as "fileId" (upload answers) or "id"
// (file listings).
func (f *File) UnmarshalJSON(b []byte) error {
	type plain File
	var v struct {
		plain
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = File(v.plain)
	if f.FileID == "" {
		f.FileID = v.ID
	}
	return nil
}

// UnmarshalJSON decodes the embedded File (whose own UnmarshalJSON would
// otherwise take the whole object) and the counts.
func (r *FileResult) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &r.File); err != nil {
		return err
	}
	var counts struct{ Added, Changed, Removed int }
	if err := json.Unmarshal(b, &counts); err != nil {
		return err
	}
	r.Added, r.Changed, r.Removed = counts.Added, counts.Changed, counts.Removed
	return nil
}
