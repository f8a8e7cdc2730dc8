package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/store"
)

// sseTick is how often the job row is read while a stream is open; the end
// of a job is taken from the row, the truth, never from memory alone.
const sseTick = 500 * time.Millisecond

// jobEvents streams a job's state as Server-Sent Events, for clients that
// have no Socket.IO: "progress" events while it runs, then one "end" event
// with the same payload as the Socket.IO completion, then the stream closes.
func (a *API) jobEvents(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	j, err := a.job(r, p, "jobId")
	if err != nil {
		return err
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		return errInternal("streaming is not supported by this connection")
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no") // tell nginx not to buffer the stream
	w.WriteHeader(http.StatusOK)
	reports, stop := a.runner.Watch(j.ID)
	defer stop()
	tick := time.NewTicker(sseTick)
	defer tick.Stop()
	send := func(event string, v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		flusher.Flush()
	}
	last := store.JobStatus("")
	for {
		if j.Status != last {
			last = j.Status
			send("status", newJobResponse(j))
		}
		if j.Status.Ended() {
			send("end", newJobResponse(j))
			return nil
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-a.closing:
			send("error", map[string]string{"detail": "server shutting down; reconnect to resume"})
			return nil
		case pr := <-reports:
			send("progress", map[string]any{"jobId": j.ID, "status": j.Status, "progress": pr})
		case <-tick.C:
		}
		if j, err = a.job(r, p, "jobId"); err != nil {
			send("error", map[string]string{"detail": err.Error()})
			return nil
		}
	}
}

// jobCancel ends a queued or running job as cancelled. A job that already
// ended is answered as it is.
func (a *API) jobCancel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	j, err := a.job(r, p, "jobId")
	if err != nil {
		return err
	}
	if !j.Status.Ended() {
		if j, err = a.runner.Cancel(r.Context(), j.ID); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, newJobResponse(j))
	return nil
}
