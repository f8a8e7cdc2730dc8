package notify

import (
	"context"
	"sync"
	"time"

	"github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/store"
)

// servedRetention is how long the notifier remembers which sockets got a
// job's completion, so that a watchJob after the event does not repeat it.
const servedRetention = 15 * time.Minute

// JobReader reads job rows, the truth events are built from.
type JobReader interface {
	JobGet(ctx context.Context, id int64) (store.Job, error)
}

// ledger tracks, per job, the sockets waiting for its end and the sockets
// that already received it. Whoever removes a socket from waiting delivers
// to it, which makes every socket get a job's completion exactly once,
// however watchJob and the job's end interleave.
type ledger struct {
	mu      sync.Mutex
	waiting map[int64]map[socket.SocketId]bool
	served  map[int64]*servedSet
}

type servedSet struct {
	at      time.Time
	sockets map[socket.SocketId]bool
}

func newLedger() *ledger {
	return &ledger{waiting: map[int64]map[socket.SocketId]bool{}, served: map[int64]*servedSet{}}
}

func (l *ledger) wait(job int64, sid socket.SocketId) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waiting[job] == nil {
		l.waiting[job] = map[socket.SocketId]bool{}
	}
	l.waiting[job][sid] = true
}

// claimAll takes every socket waiting for job plus candidates, minus those
// already served, and marks them served.
func (l *ledger) claimAll(job int64, candidates []socket.SocketId) []socket.SocketId {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune()
	s := l.servedFor(job)
	var out []socket.SocketId
	add := func(sid socket.SocketId) {
		if !s.sockets[sid] {
			s.sockets[sid] = true
			out = append(out, sid)
		}
	}
	for sid := range l.waiting[job] {
		add(sid)
	}
	delete(l.waiting, job)
	for _, sid := range candidates {
		add(sid)
	}
	return out
}

// claimOne takes sid for job unless it was already served.
func (l *ledger) claimOne(job int64, sid socket.SocketId) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.waiting[job]; w != nil {
		delete(w, sid)
		if len(w) == 0 {
			delete(l.waiting, job)
		}
	}
	s := l.servedFor(job)
	if s.sockets[sid] {
		return false
	}
	s.sockets[sid] = true
	return true
}

// waiters lists the sockets waiting for job, for progress events.
func (l *ledger) waiters(job int64) []socket.SocketId {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []socket.SocketId
	for sid := range l.waiting[job] {
		out = append(out, sid)
	}
	return out
}

func (l *ledger) servedFor(job int64) *servedSet {
	s := l.served[job]
	if s == nil {
		s = &servedSet{at: time.Now(), sockets: map[socket.SocketId]bool{}}
		l.served[job] = s
	}
	return s
}

func (l *ledger) prune() {
	cutoff := time.Now().Add(-servedRetention)
	for id, s := range l.served {
		if s.at.Before(cutoff) {
			delete(l.served, id)
		}
	}
}

// forget drops a disconnected socket from the waiting lists.
func (l *ledger) forget(sid socket.SocketId) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for job, w := range l.waiting {
		delete(w, sid)
		if len(w) == 0 {
			delete(l.waiting, job)
		}
	}
}

// watch answers watchJob {jobId}: at once with the job's state; the
// completion event follows right away when the job has ended, or when it
// ends. A socket that already received the completion gets only the answer.
func (n *Notifier) watch(s *socket.Socket, args []any) {
	payload, ack := splitAck(args)
	obj, _ := payload.(map[string]any)
	id, ok := projectID(obj["jobId"])
	if !ok {
		reply(ack, errorf("watchJob needs a numeric jobId"))
		return
	}
	ctx := context.Background()
	job, err := n.jobs.JobGet(ctx, id)
	p, _ := s.Data().(auth.Principal)
	if err != nil || !p.Can(job.ProjectID, auth.KindPermissions(job.Kind)...) {
		// The same answer for "no such job" and "not yours", so that job
		// ids cannot be probed.
		reply(ack, errorf("no job %d visible to this token", id))
		return
	}
	if !job.Status.Ended() {
		n.ledger.wait(id, s.Id())
		// The job may have ended between the read and the registration;
		// read again so the end cannot slip between the two.
		if job, err = n.jobs.JobGet(ctx, id); err != nil {
			reply(ack, errorf("read job %d: %v", id, err))
			return
		}
	}
	replyJob(ack, job)
	if job.Status.Ended() && n.ledger.claimOne(id, s.Id()) {
		if err := s.Emit(job.Kind.Event(), Completion(job)); err != nil {
			n.log.Warn("emit failed", "job_id", id, "socket_id", s.Id(), "error", err)
		}
	}
}

// Watch makes the socket sid receive job's events as if it had sent
// watchJob; a job that ended meanwhile is delivered at once.
func (n *Notifier) Watch(job store.Job, sid string) {
	id := socket.SocketId(sid)
	n.ledger.wait(job.ID, id)
	current, err := n.jobs.JobGet(context.Background(), job.ID)
	if err != nil || !current.Status.Ended() {
		return
	}
	if n.ledger.claimOne(job.ID, id) {
		n.emitTo([]socket.SocketId{id}, current.Kind.Event(), Completion(current))
	}
}

func replyJob(ack socket.Ack, job store.Job) {
	if ack == nil {
		return
	}
	ack([]any{map[string]any{"ok": true, "job": JobState(job)}}, nil)
}

// JobState is a job's state as socket answers and progress events show it.
func JobState(job store.Job) map[string]any {
	m := map[string]any{
		"jobId": job.ID, "projectId": job.ProjectID, "kind": string(job.Kind),
		"status": string(job.Status), "event": job.Kind.Event(),
	}
	if job.Status.Ended() {
		for k, v := range Completion(job) {
			m[k] = v
		}
	}
	return m
}

// recipients returns the sockets on this node that a job's events go to:
// the one socket the request named, or the members of the project's room.
func (n *Notifier) recipients(job store.Job) []socket.SocketId {
	if job.SocketID != "" {
		return []socket.SocketId{socket.SocketId(job.SocketID)}
	}
	members, ok := n.io.Sockets().Adapter().Rooms().Load(socket.Room(Room(n.tenant, job.ProjectID)))
	if !ok {
		return nil
	}
	return members.Keys()
}

// emitTo sends one event to a set of sockets in a single broadcast.
func (n *Notifier) emitTo(sids []socket.SocketId, event string, payload any) {
	if len(sids) == 0 {
		return // To() with no room would broadcast to everyone
	}
	rooms := make([]socket.Room, len(sids))
	for i, sid := range sids {
		rooms[i] = socket.Room(sid)
	}
	if err := n.io.To(rooms...).Emit(event, payload); err != nil {
		n.log.Warn("emit failed", "event", event, "error", err)
	}
}
