package socketio

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestDecodePacket(t *testing.T) {
	tests := []struct {
		in    string
		typ   byte
		nsp   string
		ackID int64
		data  string
		err   bool
	}{
		{in: `0{"sid":"abc"}`, typ: packetConnect, nsp: "/", ackID: -1, data: `{"sid":"abc"}`},
		{in: `2["ev",1]`, typ: packetEvent, nsp: "/", ackID: -1, data: `["ev",1]`},
		{in: `212["ev"]`, typ: packetEvent, nsp: "/", ackID: 12, data: `["ev"]`},
		{in: `37[{"ok":true}]`, typ: packetAck, nsp: "/", ackID: 7, data: `[{"ok":true}]`},
		{in: `2/admin,3["x"]`, typ: packetEvent, nsp: "/admin", ackID: 3, data: `["x"]`},
		{in: `1`, typ: packetDisconnect, nsp: "/", ackID: -1},
		{in: `4{"message":"invalid token"}`, typ: packetConnectError, nsp: "/", ackID: -1, data: `{"message":"invalid token"}`},
		{in: `51-["ev",{"_placeholder":true,"num":0}]`, err: true},
		{in: `2["unterminated`, err: true},
		{in: `9`, err: true},
		{in: ``, err: true},
	}
	for _, tt := range tests {
		p, err := decodePacket(tt.in)
		if tt.err {
			if err == nil {
				t.Errorf("decodePacket(%q) = %+v, want an error", tt.in, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("decodePacket(%q): %v", tt.in, err)
			continue
		}
		if p.typ != tt.typ || p.nsp != tt.nsp || p.ackID != tt.ackID || string(p.data) != tt.data {
			t.Errorf("decodePacket(%q) = {%c %q %d %s}", tt.in, p.typ, p.nsp, p.ackID, p.data)
		}
	}
}

func TestEncodePacket(t *testing.T) {
	data, err := encodeArgs("joinProcessRoom", []any{map[string]any{"projectId": 1, "tenantId": "127_0_0_1"}})
	if err != nil {
		t.Fatal(err)
	}
	got := string(encodePacket(packetEvent, 3, data))
	want := `423["joinProcessRoom",{"projectId":1,"tenantId":"127_0_0_1"}]`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := string(encodePacket(packetConnect, -1, []byte(`{"token":"t"}`))); got != `40{"token":"t"}` {
		t.Errorf("CONNECT packet %s", got)
	}
}

// TestSilentServerIsDead uses a server that completes the handshake but
// never pings: the client must give the connection up after
// pingInterval+pingTimeout and reconnect.
func TestSilentServerIsDead(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("EIO") != "4" || r.URL.Query().Get("transport") != "websocket" || r.URL.Path != "/socket.io/" {
			http.Error(w, "bad handshake URL "+r.URL.String(), http.StatusBadRequest)
			return
		}
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		n := conns.Add(1)
		ctx := r.Context()
		_ = ws.Write(ctx, websocket.MessageText, []byte(`0{"sid":"e1","upgrades":[],"pingInterval":100,"pingTimeout":100,"maxPayload":1000000}`))
		_, msg, err := ws.Read(ctx)
		if err != nil || !strings.HasPrefix(string(msg), `40{"token":"t"}`) {
			return
		}
		_ = ws.Write(ctx, websocket.MessageText, []byte(`40{"sid":"s`+string(rune('0'+n))+`"}`))
		for { // silence: read until the client gives up
			if _, _, err := ws.Read(ctx); err != nil {
				return
			}
		}
	}))
	defer srv.Close()

	c, err := New(srv.URL, Options{Auth: map[string]string{"token": "t"}, ReconnectDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lost := make(chan error, 4)
	c.OnDisconnect(func(err error) { lost <- err })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-lost:
		if d := time.Since(start); d < 190*time.Millisecond || d > 2*time.Second {
			t.Errorf("dead connection noticed after %v, want about 200ms", d)
		}
		if !strings.Contains(err.Error(), "no ping") {
			t.Errorf("disconnect reason %v", err)
		}
	case <-ctx.Done():
		t.Fatal("silent connection never taken for dead")
	}
	for conns.Load() < 2 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	if conns.Load() < 2 {
		t.Error("no reconnection after a dead connection")
	}
}
