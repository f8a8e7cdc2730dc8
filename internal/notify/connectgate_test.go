package notify

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tolk-l10n/tolk/internal/auth"
	"github.com/tolk-l10n/tolk/internal/store"
)

type adminAuth struct{}

func (adminAuth) Authenticate(context.Context, string) (auth.Principal, error) {
	return auth.Principal{Admin: true}, nil
}

type noJobs struct{}

func (noJobs) JobGet(context.Context, int64) (store.Job, error) {
	return store.Job{}, errors.New("no jobs")
}

// TestEventRightAfterConnect sends an event right behind CONNECT, as a
// socket.io-client does when it emits as soon as it is connected. Without
// the connect gate the library reads the event before it registered the
// namespace, and closes the connection ("invalid state").
func TestEventRightAfterConnect(t *testing.T) {
	n := New("t1", adminAuth{}, noJobs{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(n.Handler())
	defer srv.Close()
	defer n.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + Path + "?EIO=4&transport=websocket"
	for i := range 50 {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, open, err := c.ReadMessage(); err != nil || open[0] != '0' {
			t.Fatalf("OPEN: %q %v", open, err)
		}
		_ = c.WriteMessage(websocket.TextMessage, []byte(`40{"token":"x"}`))
		_ = c.WriteMessage(websocket.TextMessage, []byte(`421["joinProcessRoom",{"projectId":1,"tenantId":"t1"}]`))
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				t.Fatalf("connection %d: closed before the ack: %v", i, err)
			}
			if strings.HasPrefix(string(msg), "431") {
				if want := `431[{"ok":true}]`; string(msg) != want {
					t.Fatalf("ack %s, want %s", msg, want)
				}
				break
			}
		}
		_ = c.Close()
	}
}
