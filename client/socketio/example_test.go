package socketio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/tolk-l10n/tolk/client/socketio"
)

// Joining a room again after every reconnection, and waiting for an event.
func ExampleClient() {
	c, err := socketio.New("http://127.0.0.1:8080", socketio.Options{Auth: map[string]string{"token": "secret"}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	done := make(chan json.RawMessage, 1)
	c.On("process_export_target", func(args []json.RawMessage) {
		select {
		case done <- args[0]:
		default:
		}
	})
	c.OnConnect(func(id string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ack, err := c.EmitWithAck(ctx, "joinProcessRoom", map[string]any{"projectId": 1, "tenantId": "127_0_0_1"})
		if err != nil {
			log.Print(err) // lost again: OnConnect runs on the next connection
			return
		}
		fmt.Println("joined as", id, string(ack[0]))
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.Connect(ctx); err != nil {
		log.Fatal(err) // a *socketio.ConnectError when the server refused the token
	}
	select {
	case ev := <-done:
		fmt.Println("export ended:", string(ev))
	case <-ctx.Done():
		log.Fatal(ctx.Err())
	}
}
