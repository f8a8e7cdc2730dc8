package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestLeaveProcessRoom checks that leaveProcessRoom, in its bare and object
// forms, stops the events while a client still in the room gets them.
func TestLeaveProcessRoom(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "")
	p := createProject(t, s, "leave")
	p.putRule(t, s, "TR_json", "$(sourceFilePath)/$(targetLocale)$(sourceFileExt)")
	p.upload(t, s, "main", "locales/en.json", "TR_json", readCorpus(t, excalidrawDir+"/en.json"))

	stays := startProbe(t, "hold", s, p.Token, p.ID)
	if ready := stays.next(t, 20*time.Second); ready["ready"] != true {
		t.Fatalf("probe: %v", ready)
	}
	leavers := map[string]*liveProbe{}
	for _, form := range []string{"bare", "object"} {
		leavers[form] = startProbe(t, "leave", s, p.Token, p.ID, form)
		got := leavers[form].next(t, 20*time.Second)
		join, _ := got["joinAck"].(map[string]any)
		leave, _ := got["leaveAck"].(map[string]any)
		if join["ok"] != true || leave["ok"] != true {
			t.Fatalf("join then leave (%s): %v, want both acks {ok:true}", form, got)
		}
	}

	s.callJSON(t, "POST", p.path("/process/targets"), p.Token, nil, 202, nil)
	ev := stays.until(t, 30*time.Second, func(l map[string]any) bool { return l["event"] != "process_progress" })
	if ev["event"] != "process_export_target" {
		t.Fatalf("the client in the room got %v, want process_export_target", ev)
	}
	// The room's members get the event together; give the leavers a moment
	// in which a wrongly delivered event would arrive.
	time.Sleep(300 * time.Millisecond)
	for form, pr := range leavers {
		for _, line := range pr.rest() {
			t.Errorf("after leaveProcessRoom (%s) the client still got %v", form, line)
		}
	}
}

// TestPublicURLTenant checks that the tenant id comes from --public-url.
func TestPublicURLTenant(t *testing.T) {
	t.Parallel()
	needNode(t)
	s := startServer(t, "", "--public-url", "https://tolk.acme.example.com")
	p := createProject(t, s, "tenant")
	for tenant, ok := range map[string]bool{"tolk_acme_example_com": true, "127_0_0_1": false, "tolk.acme.example.com": false} {
		got := runProbe(t, "join", s, p.Token, p.ID, tenant)
		if ack, _ := got["ack"].(map[string]any); ack["ok"] != ok {
			t.Errorf("join with tenant %q: %v, want ok=%v", tenant, got, ok)
		}
	}
}

// TestPollingCORS checks what a browser client with withCredentials: true
// needs from the long-polling handshake: its origin echoed and credentials
// allowed.
func TestPollingCORS(t *testing.T) {
	t.Parallel()
	s := startServer(t, "")
	const origin = "https://app.acme.example.com"
	resp := s.doWith(t, "GET", "/socket.io/?EIO=4&transport=polling", "", map[string]string{"Origin": origin})
	if resp.Status != 200 || !strings.HasPrefix(string(resp.Body), "0{") {
		t.Fatalf("Engine.IO handshake: status %d: %q", resp.Status, resp.Body)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin {
		t.Errorf("Access-Control-Allow-Origin %q, want %q (a wildcard is refused with credentials)", got, origin)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
		t.Errorf("Access-Control-Allow-Credentials %q, want true", got)
	}
}
