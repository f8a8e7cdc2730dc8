package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// raceRuns is how many runs TestRaceNoLostNotification makes: 50 by default
// (CI), 1,000 for the benchmark (TOLK_RACE_RUNS=1000, see
// docs/benchmarks-race.md). The environment variable wins over the flag.
var raceRuns = flag.Int("race.runs", 50, "runs of TestRaceNoLostNotification (env TOLK_RACE_RUNS)")

// raceBatch is how many runs go at once; each batch is one client process
// and one cut of the proxy.
const raceBatchDefault = 50

const (
	raceCut    = 3 * time.Second  // the least time the transport stays cut
	raceCutMax = 30 * time.Second // the longest wait for a batch's jobs to end while cut
)

func raceSettings(t *testing.T) (runs, batch int) {
	runs, batch = *raceRuns, raceBatchDefault
	for name, dst := range map[string]*int{"TOLK_RACE_RUNS": &runs, "TOLK_RACE_BATCH": &batch} {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				t.Fatalf("%s=%q: want a positive integer", name, v)
			}
			*dst = n
		}
	}
	return runs, batch
}

// raceResult is what js/race.js reports of one run in one phase.
type raceResult struct {
	Proto       string   `json:"proto"`
	Transport   string   `json:"transport"`
	JobID       int64    `json:"jobId"`
	Count       int      `json:"count"`
	SocketIDs   []string `json:"socketIds"`
	Disconnects int      `json:"disconnects"`
	WatchAcks   []bool   `json:"watchAcks"`
	Error       string   `json:"error"`
}

// raceTally adds up the runs.
type raceTally struct {
	lostLate, lostCut     int // new protocol, count 0
	dupLate, dupCut       int // new protocol, count > 1
	oldLostLate, oldLost  int // old protocol, count 0 (late-join, cut)
	postFailed            int // POSTs not answered 202
	endedWhileCut, cutJob int // cut-case jobs that ended while the link was down, of all
}

// TestRaceNoLostNotification is issue 5's race test. Every run exports
// twice with the official JS client: (a) the job ends before the client has
// joined (POST, wait for the end over HTTP, then connect, join, watchJob);
// (b) the client's transport is cut through a proxy while the job ends, and
// the client reconnects with a new socket, rejoins and calls watchJob. A
// client using job ids must get exactly one completion per export. The same
// runs with an old-protocol client (room only) show how many it loses.
func TestRaceNoLostNotification(t *testing.T) {
	t.Parallel()
	needNode(t)
	runs, batch := raceSettings(t)
	s := startServer(t, "")
	proxy := startLCProxy(t, strings.TrimPrefix(s.URL, "http://"))
	src := raceSource(t)
	var projects []project
	// Each run of a batch has its own project, so that no two runs' requests
	// are identical and dedup cannot merge their jobs.
	for i := range min(runs, batch) {
		p := createProject(t, s, fmt.Sprintf("race-%d", i))
		p.putRule(t, s, "TR_json", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)")
		p.upload(t, s, "main", "locales/en.json", "TR_json", src)
		projects = append(projects, p)
	}
	var tally raceTally
	ran := 0
	for ran < runs && !t.Failed() {
		n := min(batch, runs-ran)
		raceBatch(t, s, proxy, projects, ran, n, &tally)
		ran += n
	}
	lost, dups := tally.lostLate+tally.lostCut, tally.dupLate+tally.dupCut
	fmt.Printf("race: runs=%d lost(jobId clients)=%d duplicates=%d lost(old protocol)=%d\n",
		ran, lost, dups, tally.oldLostLate+tally.oldLost)
	fmt.Printf("race: detail: late-join lost=%d dup=%d; cut lost=%d dup=%d; old protocol late-join lost=%d cut lost=%d; cut-case jobs that ended while cut=%d/%d\n",
		tally.lostLate, tally.dupLate, tally.lostCut, tally.dupCut, tally.oldLostLate, tally.oldLost, tally.endedWhileCut, tally.cutJob)
	if tally.postFailed > 0 {
		t.Errorf("%d export requests were not accepted (see the errors above); they are not counted as lost", tally.postFailed)
	}
	if lost > 0 || dups > 0 {
		t.Errorf("clients using job ids: %d exports lost, %d delivered more than once (want 0 and 0)", lost, dups)
	}
	if tally.endedWhileCut == 0 && !t.Failed() {
		t.Errorf("no job ended while the transport was cut: the cut case was not exercised")
	}
}

// raceBatch runs n runs of both protocols in one js/race.js process.
func raceBatch(t *testing.T, s *server, proxy *lcProxy, projects []project, first, n int, tally *raceTally) {
	t.Helper()
	type run struct {
		Proto     string `json:"proto"`
		ProjectID int64  `json:"projectId"`
		Token     string `json:"token"`
		Transport string `json:"transport"`
		Query     string `json:"query"` // of the cut-case POST
	}
	var runs []run
	byProject := map[int64]project{}
	for i := first; i < first+n; i++ {
		transport := "websocket"
		if i%4 == 3 { // long-polling loses its session on a cut too
			transport = "polling"
		}
		p := projects[i%len(projects)]
		byProject[p.ID] = p
		// The old client exports other locales than the new one, so that the
		// two cut-case requests of a run are not merged either.
		runs = append(runs, run{"jobid", p.ID, p.Token, transport, ""}, run{"old", p.ID, p.Token, transport, "locales=de-DE"})
	}
	cfg, _ := json.Marshal(map[string]any{"url": s.URL, "proxyUrl": proxy.URL, "tenant": s.Tenant,
		"settleMs": 1000, "oldWaitMs": 3000, "lostAfterMs": 15000, "runs": runs})

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "js/race.js", string(cfg))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 16<<20)
	next := func(phase string, v any) {
		t.Helper()
		if !lines.Scan() {
			cancel()
			_ = cmd.Wait()
			t.Fatalf("race.js ended before phase %s: %v\nstderr: %s", phase, lines.Err(), stderr.String())
		}
		var head struct {
			Phase, Fatal string
		}
		if err := json.Unmarshal(lines.Bytes(), &head); err != nil || head.Phase != phase {
			cancel()
			t.Fatalf("race.js: want phase %s, got %s (%v)\nstderr: %s", phase, lines.Bytes(), err, stderr.String())
		}
		if err := json.Unmarshal(lines.Bytes(), v); err != nil {
			t.Fatalf("race.js %s: %v", phase, err)
		}
	}

	start := time.Now()
	var late struct{ Results []raceResult }
	next("late", &late)
	t.Logf("batch of %d runs: late-join case took %v", n, time.Since(start).Round(time.Millisecond))
	for _, r := range late.Results {
		raceCount(t, "late-join", r, tally, &tally.lostLate, &tally.dupLate, &tally.oldLostLate)
	}

	var connected struct{}
	next("connected", &connected)
	cutAt := time.Now()
	t.Logf("batch of %d runs: cut case: connected and posted in %v", n, cutAt.Sub(start).Round(time.Millisecond))
	cut := proxy.cut()
	if _, err := io.WriteString(stdin, "cut\n"); err != nil {
		t.Fatalf("telling race.js: %v", err)
	}
	var posted struct {
		Jobs []struct {
			ProjectID int64 `json:"projectId"`
			JobID     int64 `json:"jobId"`
		}
	}
	next("posted", &posted)
	// The link stays down at least raceCut and until every job has ended, so
	// that each ends before the client is back.
	deadline := cutAt.Add(raceCutMax)
	var finished []time.Time
	for _, j := range posted.Jobs {
		if j.JobID == 0 {
			continue // race.js reports the failed POST in the run's error
		}
		finished = append(finished, raceWaitEnd(t, s, byProject[j.ProjectID], j.JobID, deadline))
	}
	time.Sleep(time.Until(cutAt.Add(raceCut)))
	restoredAt := time.Now()
	proxy.restore()
	if _, err := io.WriteString(stdin, "restored\n"); err != nil {
		t.Fatalf("telling race.js: %v", err)
	}
	for _, f := range finished {
		tally.cutJob++
		if f.After(cutAt) && f.Before(restoredAt) {
			tally.endedWhileCut++
		}
	}

	var after struct{ Results []raceResult }
	next("cut", &after)
	t.Logf("batch of %d runs: cut %v after posting, restored after %v; done after %v", n,
		time.Since(cutAt).Round(time.Millisecond), restoredAt.Sub(cutAt).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	for _, r := range after.Results {
		raceCount(t, "cut", r, tally, &tally.lostCut, &tally.dupCut, &tally.oldLost)
		if r.JobID != 0 && r.Disconnects == 0 || len(r.SocketIDs) < 2 {
			t.Errorf("cut case, %s client of job %d: %d disconnects, sockets %v: the cut did not reach it (%d connections cut)",
				r.Proto, r.JobID, r.Disconnects, r.SocketIDs, cut)
		}
	}
}

// raceCount adds one run's result to the tally and fails on a client error.
func raceCount(t *testing.T, phase string, r raceResult, tally *raceTally, lost, dup, oldLost *int) {
	t.Helper()
	if r.Error != "" {
		t.Errorf("%s case, %s client (%s) of job %d: %s", phase, r.Proto, r.Transport, r.JobID, r.Error)
	}
	switch {
	case r.JobID == 0:
		tally.postFailed++
	case r.Proto == "old" && r.Count == 0:
		*oldLost++
	case r.Proto == "old":
	case r.Count == 0:
		*lost++
		t.Logf("%s case: job %d (%s) lost: sockets %v, watchJob acks %v", phase, r.JobID, r.Transport, r.SocketIDs, r.WatchAcks)
	case r.Count > 1:
		*dup++
		t.Logf("%s case: job %d (%s) delivered %d times: sockets %v", phase, r.JobID, r.Transport, r.Count, r.SocketIDs)
	}
}

// raceWaitEnd polls a job until it has ended and returns when it finished.
func raceWaitEnd(t *testing.T, s *server, p project, id int64, deadline time.Time) time.Time {
	t.Helper()
	for {
		var j struct {
			Status     string    `json:"status"`
			FinishedAt time.Time `json:"finishedAt"`
		}
		s.callJSON(t, "GET", p.path("/process/jobs/%d", id), p.Token, nil, 200, &j)
		switch j.Status {
		case "done", "failed", "cancelled", "expired":
			return j.FinishedAt
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %s %v after the cut", id, j.Status, raceCutMax)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// raceSource is a small source file cut from the corpus's excalidraw en.json
// (two of its sections), so that the many race exports stay cheap.
func raceSource(t *testing.T) []byte {
	t.Helper()
	var all map[string]json.RawMessage
	if err := json.Unmarshal(readCorpus(t, excalidrawDir+"/en.json"), &all); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(map[string]json.RawMessage{"toolBar": all["toolBar"], "colors": all["colors"]}, "", "  ")
	if err != nil || len(all["toolBar"]) == 0 {
		t.Fatalf("cutting en.json: %v", err)
	}
	return append(out, '\n')
}
