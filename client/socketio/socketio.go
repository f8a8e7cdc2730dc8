// Package socketio is a small Socket.IO v4 client (Engine.IO protocol 4,
// Socket.IO protocol 5) that speaks WebSocket only, for the default
// namespace and JSON payloads (no binary attachments).
//
// It does what a client waiting for a server's notification needs: the
// handshake with an auth payload, events, acknowledgements both ways, the
// server-driven ping/pong keepalive (a connection that hears nothing for
// pingInterval+pingTimeout is taken for dead), and reconnection with
// exponential backoff after any loss, a server-initiated disconnect included.
//
// A Socket.IO server keeps no state for a socket across reconnections: the
// new connection has a new ID and is in no room. Register an OnConnect
// handler to re-join rooms.
package socketio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Defaults for Options fields left zero.
const (
	DefaultPath              = "/socket.io/"
	DefaultReconnectDelay    = 500 * time.Millisecond
	DefaultReconnectDelayMax = 5 * time.Second
	DefaultReadLimit         = 1 << 20 // Socket.IO's default maxHttpBufferSize
	writeTimeout             = 10 * time.Second
)

var (
	// ErrNotConnected is returned by Emit while the client has no connection.
	ErrNotConnected = errors.New("socketio: not connected")
	// ErrDisconnected is returned by EmitWithAck when the connection is lost
	// before the acknowledgement arrives.
	ErrDisconnected = errors.New("socketio: disconnected before the acknowledgement")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("socketio: client closed")
	// errServerDisconnect ends a connection the server disconnected.
	errServerDisconnect = errors.New("socketio: disconnected by the server")
)

// ConnectError is the server's refusal of the Socket.IO handshake (a
// connect_error, e.g. an unknown token).
type ConnectError struct {
	Message string
	Data    json.RawMessage // the "data" member, when the server sent one
}

func (e *ConnectError) Error() string { return "socketio: connection refused: " + e.Message }

// Options configure a Client. The zero value is usable.
type Options struct {
	Path       string       // default DefaultPath
	Auth       any          // sent with the CONNECT packet, e.g. map[string]string{"token": t}
	Header     http.Header  // extra headers of the WebSocket handshake
	HTTPClient *http.Client // for the WebSocket handshake

	ReconnectDelay    time.Duration // first delay before a reconnection attempt
	ReconnectDelayMax time.Duration // the delay doubles up to this
	NoReconnect       bool          // stay disconnected after a loss
	ReadLimit         int64         // largest accepted frame, default DefaultReadLimit

	Logger *slog.Logger // default: discard
}

// Handler receives an event's arguments, as raw JSON values. Handlers run
// on the client's read goroutine, one at a time: they must not block, and
// must not wait for an acknowledgement.
type Handler func(args []json.RawMessage)

// Client is a Socket.IO client. Its methods are safe for concurrent use.
type Client struct {
	url  string
	opts Options
	log  *slog.Logger

	mu           sync.Mutex
	cur          *conn // nil while disconnected
	handlers     map[string][]Handler
	onConnect    []func(id string)
	onDisconnect []func(err error)
	nextAck      int64
	closed       bool

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a client for the server at serverURL (http, https, ws or wss;
// only scheme and host are used). It does not connect: register handlers,
// then call Connect.
func New(serverURL string, opts Options) (*Client, error) {
	u, err := wsURL(serverURL, opts.Path)
	if err != nil {
		return nil, err
	}
	if opts.ReconnectDelay <= 0 {
		opts.ReconnectDelay = DefaultReconnectDelay
	}
	if opts.ReconnectDelayMax < opts.ReconnectDelay {
		opts.ReconnectDelayMax = max(DefaultReconnectDelayMax, opts.ReconnectDelay)
	}
	if opts.ReadLimit <= 0 {
		opts.ReadLimit = DefaultReadLimit
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Client{url: u, opts: opts, log: log, handlers: map[string][]Handler{}, ctx: ctx, cancel: cancel}, nil
}

// wsURL builds the Engine.IO WebSocket endpoint of a server URL.
func wsURL(serverURL, path string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("socketio: parsing server URL: %w", err)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "ws"
	case "https", "wss":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("socketio: server URL %q: scheme must be http(s) or ws(s)", serverURL)
	}
	if path == "" {
		path = DefaultPath
	}
	if !strings.HasSuffix(path, "/") {
		path += "/"
	}
	u.Path, u.RawPath, u.RawQuery, u.Fragment = path, "", "EIO=4&transport=websocket", ""
	return u.String(), nil
}

// On registers a handler for an event sent by the server.
func (c *Client) On(event string, h Handler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers[event] = append(c.handlers[event], h)
}

// OnConnect registers a function called with the socket ID after every
// successful connection, the first one and each reconnection. It runs on
// its own goroutine, so it may emit and wait for acknowledgements.
func (c *Client) OnConnect(f func(id string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onConnect = append(c.onConnect, f)
}

// OnDisconnect registers a function called, on its own goroutine, when a
// connection is lost; err says why.
func (c *Client) OnDisconnect(f func(err error)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onDisconnect = append(c.onDisconnect, f)
}

// ID returns the current socket ID, "" while disconnected.
func (c *Client) ID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil {
		return ""
	}
	return c.cur.id
}

// Connected reports whether the client has a connection now.
func (c *Client) Connected() bool { return c.ID() != "" }

// Connect opens the first connection; it makes one attempt, bounded by ctx.
// A refused handshake is a *ConnectError. After it succeeds, the client
// keeps a connection until Close, reconnecting in the background unless
// Options.NoReconnect is set.
func (c *Client) Connect(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.cur != nil {
		c.mu.Unlock()
		return errors.New("socketio: already connected")
	}
	c.mu.Unlock()
	cn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	if !c.attach(cn) {
		cn.ws.CloseNow()
		return ErrClosed
	}
	c.wg.Add(1)
	go c.run(cn)
	return nil
}

// attach makes cn the current connection and tells the OnConnect handlers.
func (c *Client) attach(cn *conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.cur = cn
	hs := append([]func(string){}, c.onConnect...)
	go func() {
		for _, h := range hs {
			h(cn.id)
		}
	}()
	return true
}

// detach forgets cn, fails its pending acknowledgements and tells the
// OnDisconnect handlers.
func (c *Client) detach(cn *conn, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == cn {
		c.cur = nil
	}
	close(cn.done)
	if c.closed {
		return
	}
	hs := append([]func(error){}, c.onDisconnect...)
	go func() {
		for _, h := range hs {
			h(err)
		}
	}()
}

// run reads cn until it fails, then reconnects, until Close.
func (c *Client) run(cn *conn) {
	defer c.wg.Done()
	for cn != nil {
		err := c.read(cn)
		cn.ws.CloseNow()
		c.detach(cn, err)
		if c.ctx.Err() != nil {
			return
		}
		c.log.Info("socket.io connection lost", slog.String("socket_id", cn.id), slog.Any("error", err))
		if c.opts.NoReconnect {
			return
		}
		cn = c.reconnect()
	}
}

// reconnect dials with exponential backoff and jitter until it succeeds or
// the client is closed (then it returns nil).
func (c *Client) reconnect() *conn {
	delay := c.opts.ReconnectDelay
	for attempt := 1; ; attempt++ {
		// ±25% jitter, so that many clients dropped at once do not return at once.
		d := delay - delay/4 + rand.N(delay/2+1)
		t := time.NewTimer(d)
		select {
		case <-c.ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		dctx, cancel := context.WithTimeout(c.ctx, max(10*time.Second, c.opts.ReconnectDelayMax))
		cn, err := c.dial(dctx)
		cancel()
		if err == nil {
			if !c.attach(cn) {
				cn.ws.CloseNow()
				return nil
			}
			c.log.Info("socket.io reconnected", slog.String("socket_id", cn.id), slog.Int("attempt", attempt))
			return cn
		}
		c.log.Debug("socket.io reconnection failed", slog.Int("attempt", attempt), slog.Any("error", err))
		delay = min(delay*2, c.opts.ReconnectDelayMax)
	}
}

// Emit sends an event without waiting for an acknowledgement.
func (c *Client) Emit(ctx context.Context, event string, args ...any) error {
	data, err := encodeArgs(event, args)
	if err != nil {
		return err
	}
	cn, err := c.current()
	if err != nil {
		return err
	}
	return cn.write(ctx, encodePacket(packetEvent, -1, data))
}

// EmitWithAck sends an event and waits for the server's acknowledgement,
// returning its arguments.
func (c *Client) EmitWithAck(ctx context.Context, event string, args ...any) ([]json.RawMessage, error) {
	data, err := encodeArgs(event, args)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	cn := c.cur
	if c.closed || cn == nil {
		c.mu.Unlock()
		return nil, c.notConnected()
	}
	id := c.nextAck
	c.nextAck++
	ch := make(chan []json.RawMessage, 1)
	cn.acks[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(cn.acks, id)
		c.mu.Unlock()
	}()
	if err := cn.write(ctx, encodePacket(packetEvent, id, data)); err != nil {
		return nil, err
	}
	select {
	case args := <-ch:
		return args, nil
	case <-cn.done:
		return nil, ErrDisconnected
	case <-ctx.Done():
		return nil, fmt.Errorf("socketio: waiting for the acknowledgement of %q: %w", event, ctx.Err())
	}
}

func (c *Client) current() (*conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.cur == nil {
		return nil, c.notConnected()
	}
	return c.cur, nil
}

// notConnected must be called with c.mu held.
func (c *Client) notConnected() error {
	if c.closed {
		return ErrClosed
	}
	return ErrNotConnected
}

// Close disconnects (telling the server) and stops reconnecting. It waits
// for the client's goroutines to end.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	cn := c.cur
	c.mu.Unlock()
	if cn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = cn.write(ctx, encodePacket(packetDisconnect, -1, nil))
		cancel()
	}
	c.cancel() // ends the read loop (closing the WebSocket) and any backoff wait
	c.wg.Wait()
	return nil
}
