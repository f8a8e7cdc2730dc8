package socketio_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/tolk-l10n/tolk/client/socketio"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newClient(t *testing.T, url, token string, opts socketio.Options) *socketio.Client {
	t.Helper()
	opts.Auth = map[string]string{"token": token}
	if opts.ReconnectDelay == 0 {
		opts.ReconnectDelay = 50 * time.Millisecond
	}
	c, err := socketio.New(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestConnectWithAuth(t *testing.T) {
	url := startRefServer(t)
	c := newClient(t, url, "good", socketio.Options{})
	if err := c.Connect(testContext(t)); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if c.ID() == "" || !c.Connected() {
		t.Fatalf("connected client has no socket ID")
	}
	var stats struct{ ID string }
	ack, err := c.EmitWithAck(testContext(t), "stats")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(ack[0], &stats); err != nil {
		t.Fatal(err)
	}
	if stats.ID != c.ID() {
		t.Errorf("server sees socket %q, client says %q", stats.ID, c.ID())
	}
}

func TestConnectRefused(t *testing.T) {
	url := startRefServer(t)
	c := newClient(t, url, "bad", socketio.Options{})
	err := c.Connect(testContext(t))
	var ce *socketio.ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("Connect with a bad token: got %v, want a *ConnectError", err)
	}
	if ce.Message != "invalid token" {
		t.Errorf("connect_error message %q, want %q", ce.Message, "invalid token")
	}
	if !json.Valid(ce.Data) || string(ce.Data) != `{"reason":"unknown token"}` {
		t.Errorf("connect_error data %s", ce.Data)
	}
	if c.Connected() {
		t.Error("refused client reports a connection")
	}
}

func TestEmitWithAck(t *testing.T) {
	url := startRefServer(t)
	c := newClient(t, url, "good", socketio.Options{})
	if err := c.Connect(testContext(t)); err != nil {
		t.Fatal(err)
	}
	payload := map[string]any{"projectId": 7, "text": "ünïcödé \"quoted\""}
	ack, err := c.EmitWithAck(testContext(t), "echo", payload, 42, "x")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(ack)
	want := `[{"projectId":7,"text":"ünïcödé \"quoted\""},42,"x"]`
	if string(got) != want {
		t.Errorf("ack %s, want %s", got, want)
	}
}

func TestReceiveEvent(t *testing.T) {
	url := startRefServer(t)
	c := newClient(t, url, "good", socketio.Options{})
	pushed := make(chan []json.RawMessage, 1)
	acked := make(chan []json.RawMessage, 1)
	c.On("pushed", func(args []json.RawMessage) { pushed <- args })
	c.On("acked", func(args []json.RawMessage) { acked <- args })
	if err := c.Connect(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.Emit(testContext(t), "push", map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	select {
	case args := <-pushed:
		if len(args) != 2 || string(args[0]) != `{"n":1}` || string(args[1]) != `"`+c.ID()+`"` {
			t.Errorf("pushed event args %s", args)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no pushed event")
	}
	// The server asked for an acknowledgement of "pushed-ack"; it answers
	// the acknowledgement with "acked".
	select {
	case args := <-acked:
		if len(args) != 1 || string(args[0]) != `{"n":1}` {
			t.Errorf("acked event args %s", args)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server never got the client's acknowledgement")
	}
}

func TestServerDisconnectReconnects(t *testing.T) {
	url := startRefServer(t)
	c := newClient(t, url, "good", socketio.Options{})
	connects := make(chan string, 4)
	disconnects := make(chan error, 4)
	c.OnConnect(func(id string) {
		// Rooms are lost on reconnect: re-join, as the SDK does.
		if _, err := c.EmitWithAck(context.Background(), "join", "r1"); err != nil {
			t.Errorf("re-join: %v", err)
		}
		connects <- id
	})
	c.OnDisconnect(func(err error) { disconnects <- err })
	room := make(chan string, 4)
	c.On("room", func(args []json.RawMessage) { room <- string(args[0]) })
	if err := c.Connect(testContext(t)); err != nil {
		t.Fatal(err)
	}
	first := <-connects
	if err := c.Emit(testContext(t), "kick"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-disconnects:
		t.Logf("disconnected: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("no disconnect after kick")
	}
	var second string
	select {
	case second = <-connects:
	case <-time.After(10 * time.Second):
		t.Fatal("no reconnection after a server-initiated disconnect")
	}
	if second == first || second == "" {
		t.Errorf("reconnected socket ID %q (first %q)", second, first)
	}
	if err := c.Emit(testContext(t), "broadcast", "r1", "after"); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-room:
		if got != `"after"` {
			t.Errorf("room event %s", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no room event after re-join")
	}
}

func TestPingPongKeepsConnection(t *testing.T) {
	url := startRefServer(t, "PING_INTERVAL=150", "PING_TIMEOUT=250")
	c := newClient(t, url, "good", socketio.Options{})
	disconnects := make(chan error, 1)
	c.OnDisconnect(func(err error) { disconnects <- err })
	if err := c.Connect(testContext(t)); err != nil {
		t.Fatal(err)
	}
	id := c.ID()
	select {
	case err := <-disconnects:
		t.Fatalf("disconnected during keepalive: %v", err)
	case <-time.After(1500 * time.Millisecond): // about ten ping intervals
	}
	ack, err := c.EmitWithAck(testContext(t), "stats")
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		Pongs int
		ID    string
	}
	if err := json.Unmarshal(ack[0], &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Pongs < 5 {
		t.Errorf("server received %d pongs in ~10 ping intervals, want at least 5", stats.Pongs)
	}
	if stats.ID != id || c.ID() != id {
		t.Errorf("socket changed during keepalive: %q -> %q", id, stats.ID)
	}
}

func TestEmitWhileDisconnected(t *testing.T) {
	c, err := socketio.New("http://127.0.0.1:1", socketio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Emit(t.Context(), "x"); !errors.Is(err, socketio.ErrNotConnected) {
		t.Errorf("Emit before Connect: %v", err)
	}
	if err := c.Connect(testContext(t)); err == nil {
		t.Error("Connect to a closed port succeeded")
	}
	c.Close()
	if _, err := c.EmitWithAck(t.Context(), "x"); !errors.Is(err, socketio.ErrClosed) {
		t.Errorf("EmitWithAck after Close: %v", err)
	}
}
