package jobs

import (
	"sync"
	"time"

	"github.com/tolk-l10n/tolk/internal/export"
	"github.com/tolk-l10n/tolk/internal/store"
)

// progressInterval bounds progress events to a few per second per job; a
// change of stage is always reported.
const progressInterval = 250 * time.Millisecond

// throttle reports export progress to the notifier at most every
// progressInterval.
type throttle struct {
	mu    sync.Mutex
	job   store.Job
	n     Notifier
	hub   *hub
	last  time.Time
	stage string
}

func (t *throttle) report(p export.Progress) {
	t.mu.Lock()
	now := time.Now()
	if p.Stage == t.stage && now.Sub(t.last) < progressInterval {
		t.mu.Unlock()
		return
	}
	t.stage, t.last = p.Stage, now
	t.mu.Unlock()
	t.hub.publish(t.job.ID, p)
	t.n.JobProgress(t.job, p)
}

// projectSlots bounds the exports of one project that run at once, so that
// a project with a thousand queued exports leaves workers to the others.
type projectSlots struct {
	mu     sync.Mutex
	limit  int
	active map[int64]int
}

func (s *projectSlots) acquire(project int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active[project] >= s.limit {
		return false
	}
	s.active[project]++
	return true
}

func (s *projectSlots) release(project int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active[project]--; s.active[project] <= 0 {
		delete(s.active, project)
	}
}

// running holds the cancel functions of the exports this node is building,
// so that DELETE on a job stops its work at once.
type running struct {
	mu     sync.Mutex
	cancel map[int64]func()
}

func (r *running) add(id int64, cancel func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cancel[id] = cancel
}

func (r *running) remove(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.cancel, id)
}

func (r *running) stop(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.cancel[id]; c != nil {
		c()
	}
}
