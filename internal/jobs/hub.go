package jobs

import (
	"sync"

	"github.com/tolk-l10n/tolk/internal/export"
)

// hub keeps the latest progress of the jobs this node builds and passes
// every report to the subscribers of a job (Server-Sent Events streams).
// Progress is advisory: the end of a job is always read from its row.
type hub struct {
	mu     sync.Mutex
	latest map[int64]export.Progress
	subs   map[int64]map[chan export.Progress]bool
}

func newHub() *hub {
	return &hub{latest: map[int64]export.Progress{}, subs: map[int64]map[chan export.Progress]bool{}}
}

func (h *hub) publish(id int64, p export.Progress) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.latest[id] = p
	for ch := range h.subs[id] {
		select {
		case ch <- p:
		default: // a slow reader skips a report; the next one supersedes it
		}
	}
}

func (h *hub) done(id int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.latest, id)
}

// Progress returns the latest progress of a job this node is building.
func (r *Runner) Progress(id int64) (export.Progress, bool) {
	r.hub.mu.Lock()
	defer r.hub.mu.Unlock()
	p, ok := r.hub.latest[id]
	return p, ok
}

// Watch subscribes to a job's progress reports; call stop when done.
func (r *Runner) Watch(id int64) (reports <-chan export.Progress, stop func()) {
	ch := make(chan export.Progress, 8)
	h := r.hub
	h.mu.Lock()
	if h.subs[id] == nil {
		h.subs[id] = map[chan export.Progress]bool{}
	}
	h.subs[id][ch] = true
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[id], ch)
		if len(h.subs[id]) == 0 {
			delete(h.subs, id)
		}
	}
}
