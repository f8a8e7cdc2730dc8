package notify

import (
	"sync"
	"time"

	"github.com/zishang520/socket.io/parsers/engine/v3/packet"
	"github.com/zishang520/socket.io/servers/socket/v3"
	"github.com/zishang520/socket.io/v3/pkg/types"
)

// connectGate works around a race in socket.io servers/socket v3.0.6
// (github.com/zishang520/socket.io).
//
// namespace.Add runs the namespace connection on the socket's task queue
// (namespace.go:272), and _doConnect writes the CONNECT packet
// (socket._onconnect, namespace.go:342) before it registers the socket with
// its Client (fn -> c.nsps.Store, namespace.go:344 / client.go:125). A client
// that answers CONNECT at once (socket.io-client emits its buffered
// emitWithAck as soon as it is connected) can have its EVENT decoded by the
// reader goroutine in that gap; Client.ondecoded then finds no namespace,
// logs "invalid state" at library debug level and closes the connection
// (client.go:216-223), without any "disconnect" event on the server socket.
//
// The gate holds every incoming Socket.IO packet other than CONNECT on the
// engine's reader goroutine until the namespace "connection" event fired
// (which happens after the registration), the connection closed, or
// connectTimeout elapsed. Packet order is kept: the reader reads nothing
// while it waits.
type connectGate struct {
	timeout time.Duration
	ready   sync.Map // engine socket id -> *gateEntry
}

type gateEntry struct {
	ch   chan struct{}
	once sync.Once
}

func (e *gateEntry) open() { e.once.Do(func() { close(e.ch) }) }

type engineConn interface {
	types.EventEmitter
	Id() string
}

func newConnectGate(io *socket.Server, timeout time.Duration) *connectGate {
	g := &connectGate{timeout: timeout}
	_ = io.Engine().On("connection", func(args ...any) {
		conn, ok := args[0].(engineConn)
		if !ok {
			return
		}
		e := &gateEntry{ch: make(chan struct{})}
		ch := e.ch
		g.ready.Store(conn.Id(), e)
		_ = conn.On("packet", func(args ...any) {
			p, _ := args[0].(*packet.Packet)
			if p == nil || p.Type != packet.MESSAGE || isConnect(p) {
				return
			}
			select {
			case <-ch:
			default:
				t := time.NewTimer(g.timeout)
				defer t.Stop()
				select {
				case <-ch:
				case <-t.C:
				}
			}
		})
		_ = conn.Once("close", func(...any) {
			e.open()
			g.ready.Delete(conn.Id())
		})
	})
	return g
}

// connected releases the connection of s, to be called from the namespace's
// "connection" handler.
func (g *connectGate) connected(s *socket.Socket) {
	if e, ok := g.ready.Load(s.Conn().Id()); ok {
		e.(*gateEntry).open()
	}
}

// isConnect reports whether an engine MESSAGE carries a Socket.IO CONNECT
// packet (type digit '0'), which must pass at once.
func isConnect(p *packet.Packet) bool {
	sb, ok := p.Data.(*types.StringBuffer)
	if !ok {
		return false // binary attachment: never a CONNECT
	}
	data := sb.Bytes() // peeks, does not consume
	return len(data) > 0 && data[0] == '0'
}
