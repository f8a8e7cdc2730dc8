package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// liveProbe is a js/probe.js process that keeps running (modes hold and
// leave) and reports its JSON lines as they come.
type liveProbe struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan map[string]any // closed when the probe's stdout ends
}

func startProbe(t *testing.T, mode string, s *server, token string, projectID int64, extra ...string) *liveProbe {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	args := append([]string{"js/probe.js", mode, s.URL, token, strconv.FormatInt(projectID, 10), s.Tenant}, extra...)
	p := &liveProbe{cmd: exec.CommandContext(ctx, "node", args...), lines: make(chan map[string]any, 16)}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				line = map[string]any{"unparsed": sc.Text()}
			}
			p.lines <- line
		}
	}()
	t.Cleanup(func() {
		cancel()
		_ = p.cmd.Wait()
	})
	return p
}

// next returns the probe's next line, or nil when it ended or took too long.
func (p *liveProbe) next(t *testing.T, timeout time.Duration) map[string]any {
	t.Helper()
	select {
	case line := <-p.lines:
		return line
	case <-time.After(timeout):
		t.Errorf("probe printed nothing within %v", timeout)
		return nil
	}
}

// until returns the first line for which want is true, skipping others
// (progress events, for instance).
func (p *liveProbe) until(t *testing.T, timeout time.Duration, want func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Errorf("probe ended without the line awaited")
				return nil
			}
			if want(line) {
				return line
			}
		case <-deadline:
			t.Errorf("probe printed no line awaited within %v", timeout)
			return nil
		}
	}
}

// rest closes the probe's stdin and returns every line it still prints.
func (p *liveProbe) rest() []map[string]any {
	p.stdin.Close()
	var out []map[string]any
	for line := range p.lines {
		out = append(out, line)
	}
	return out
}
