package jobs

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/internal/blob"
	"github.com/tolk-l10n/tolk/internal/format"
	_ "github.com/tolk-l10n/tolk/internal/format/json"
	"github.com/tolk-l10n/tolk/internal/placeholder"
	"github.com/tolk-l10n/tolk/internal/store"
	"github.com/tolk-l10n/tolk/internal/store/sqlite"
)

// trickyFormat is a test format whose Write panics or blocks, to drive the
// runner's failure paths with a real queue and database.
type trickyFormat struct {
	name   string
	panics bool
	block  time.Duration
}

func (f trickyFormat) Name() string                            { return f.name }
func (trickyFormat) Settings() []format.Setting                { return nil }
func (trickyFormat) Syntax(format.Settings) placeholder.Syntax { return 0 }
func (f trickyFormat) Parse([]byte, format.ParseOptions) (format.Document, error) {
	return trickyDoc(f), nil
}

type trickyDoc trickyFormat

func (trickyDoc) Units() []format.Unit { return []format.Unit{{Key: "k", Text: "t"}} }
func (d trickyDoc) Write(w io.Writer, _ format.Target, _ func(*format.Unit) format.Output) error {
	if d.panics {
		panic("tricky format panics")
	}
	time.Sleep(d.block)
	_, err := io.WriteString(w, "x")
	return err
}

func init() {
	format.Register(trickyFormat{name: "test-panic", panics: true})
	format.Register(trickyFormat{name: "test-slow", block: 2 * time.Second})
}

// recorder is a Notifier that keeps what it was told.
type recorder struct {
	mu       sync.Mutex
	ended    []store.Job
	progress int
	watched  []string
}

func (r *recorder) JobEnded(j store.Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = append(r.ended, j)
}

func (r *recorder) JobProgress(store.Job, any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress++
}

func (r *recorder) Watch(j store.Job, sid string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watched = append(r.watched, sid)
}

func (r *recorder) endsOf(id int64) []store.Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []store.Job
	for _, j := range r.ended {
		if j.ID == id {
			out = append(out, j)
		}
	}
	return out
}

type bundle struct {
	r     *Runner
	st    *sqlite.DB
	blobs *blob.Dir
	rec   *recorder
	proj  store.Project
}

func setup(t *testing.T, cfg Config, parser string) *bundle {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlite.Open(ctx, filepath.Join(dir, "tolk.db"), logger)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"), logger)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	r, err := New(ctx, cfg, st, blobs, rec, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		_ = r.Stop(stop)
		cancel()
		st.Close()
	})
	proj, err := st.ProjectCreate(ctx, store.Project{Name: "p", SourceLocale: "en", TargetLocales: []string{"de"}})
	if err != nil {
		t.Fatal(err)
	}
	content := []byte(`{"a": "A"}`)
	if _, err := st.FilePut(ctx, store.FilePutParams{
		File:    store.File{ProjectID: proj.ID, ID: "f", Path: "en.json", Parser: parser, Content: content},
		Strings: []store.String{{FileID: "f", Key: "k", Source: "t"}},
	}); err != nil {
		t.Fatal(err)
	}
	return &bundle{r: r, st: st, blobs: blobs, rec: rec, proj: proj}
}

func (b *bundle) enqueue(t *testing.T, p store.JobInsertParams) store.Job {
	t.Helper()
	p.ProjectID, p.Kind = b.proj.ID, store.JobTargets
	j, err := b.r.Enqueue(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// waitEnd waits until the notifier heard of the job's end.
func (b *bundle) waitEnd(t *testing.T, id int64, within time.Duration) store.Job {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if ends := b.rec.endsOf(id); len(ends) > 0 {
			return ends[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %d: no end announced within %s", id, within)
	return store.Job{}
}

func TestJobDone(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 1}, "json")
	j := b.enqueue(t, store.JobInsertParams{})
	end := b.waitEnd(t, j.ID, 10*time.Second)
	if end.Status != store.JobDone || end.Size == 0 || len(end.SHA256) != 64 || end.ExpiresAt.IsZero() {
		t.Fatalf("end = %+v", end)
	}
	f, err := b.blobs.Open(context.Background(), end.BlobKey)
	if err != nil {
		t.Fatalf("artifact: %v", err)
	}
	f.Close()
	time.Sleep(200 * time.Millisecond)
	if n := len(b.rec.endsOf(j.ID)); n != 1 {
		t.Errorf("end announced %d times, want once", n)
	}
	if b.rec.progress == 0 {
		t.Error("no progress reported")
	}
}

func TestPanicRetriedThenFailed(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 1}, "test-panic")
	j := b.enqueue(t, store.JobInsertParams{})
	// Three attempts, 2 s then 4 s apart.
	end := b.waitEnd(t, j.ID, 20*time.Second)
	if end.Status != store.JobFailed || !strings.Contains(end.Error, "panicked") {
		t.Fatalf("end = %s %q, want failed with the panic", end.Status, end.Error)
	}
	var attempts int
	if err := b.st.DB().QueryRow(`SELECT attempt FROM river_job WHERE json_extract(args, '$.job_id') = ?`, j.ID).Scan(&attempts); err != nil {
		t.Fatal(err)
	}
	if attempts != MaxAttempts {
		t.Errorf("attempts = %d, want %d", attempts, MaxAttempts)
	}
}

func TestPermanentFailureNotRetried(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 1}, "json")
	if err := b.st.TargetRulePut(context.Background(), store.TargetRule{ProjectID: b.proj.ID, ID: "bad", Rule: "../../$(targetLocale).json"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.DB().Exec(`UPDATE files SET target_rule = 'bad'`); err != nil {
		t.Fatal(err)
	}
	j := b.enqueue(t, store.JobInsertParams{})
	end := b.waitEnd(t, j.ID, 5*time.Second)
	if end.Status != store.JobFailed || !strings.Contains(end.Error, "outside") {
		t.Fatalf("end = %s %q, want failed: rule outside the project", end.Status, end.Error)
	}
}

func TestDeadline(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 1, JobTimeout: 300 * time.Millisecond}, "test-slow")
	j := b.enqueue(t, store.JobInsertParams{})
	end := b.waitEnd(t, j.ID, 10*time.Second)
	if end.Status != store.JobFailed || !strings.Contains(end.Error, "deadline") {
		t.Fatalf("end = %s %q, want failed past its deadline", end.Status, end.Error)
	}
}

func TestCancelRunning(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 1}, "test-slow")
	j := b.enqueue(t, store.JobInsertParams{})
	for i := 0; ; i++ {
		cur, _ := b.st.JobGet(context.Background(), j.ID)
		if cur.Status == store.JobRunning {
			break
		}
		if i > 200 {
			t.Fatal("job never ran")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := b.r.Cancel(context.Background(), j.ID); err != nil {
		t.Fatal(err)
	}
	end := b.waitEnd(t, j.ID, 5*time.Second)
	if end.Status != store.JobCancelled {
		t.Fatalf("end = %s, want cancelled", end.Status)
	}
	time.Sleep(2500 * time.Millisecond) // the build would have ended by now
	if n := len(b.rec.endsOf(j.ID)); n != 1 {
		t.Errorf("end announced %d times, want once", n)
	}
}

func TestDedupWatchesSecondSocket(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 0}, "json")
	first := b.enqueue(t, store.JobInsertParams{DedupKey: "same", SocketID: "s1"})
	second := b.enqueue(t, store.JobInsertParams{DedupKey: "same", SocketID: "s2"})
	if second.ID != first.ID || !second.Reused {
		t.Fatalf("second = %+v, want job %d reused", second, first.ID)
	}
	if len(b.rec.watched) != 1 || b.rec.watched[0] != "s2" {
		t.Errorf("watched = %v, want the second caller's socket", b.rec.watched)
	}
}

func TestSweepExpires(t *testing.T) {
	t.Parallel()
	b := setup(t, Config{Workers: 1, Retention: 50 * time.Millisecond}, "json")
	j := b.enqueue(t, store.JobInsertParams{})
	end := b.waitEnd(t, j.ID, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	if err := b.r.SweepOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	cur, _ := b.st.JobGet(context.Background(), j.ID)
	if cur.Status != store.JobExpired {
		t.Errorf("status = %s, want expired", cur.Status)
	}
	if _, err := b.blobs.Open(context.Background(), end.BlobKey); err == nil {
		t.Error("expired artifact still stored")
	}
}

func TestPriority(t *testing.T) {
	t.Parallel()
	for backlog, want := range map[int]int{0: 1, 1: 1, 2: 2, 9: 2, 10: 3, 99: 3, 100: 4, 5000: 4} {
		if got := priority(backlog); got != want {
			t.Errorf("priority(%d) = %d, want %d", backlog, got, want)
		}
	}
}
