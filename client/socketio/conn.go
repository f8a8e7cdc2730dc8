package socketio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/coder/websocket"
)

// conn is one Engine.IO WebSocket connection with its Socket.IO session.
type conn struct {
	ws       *websocket.Conn
	id       string        // Socket.IO socket ID
	pingWait time.Duration // pingInterval + pingTimeout: silence longer than this means dead
	acks     map[int64]chan []json.RawMessage
	done     chan struct{} // closed when the connection has ended
}

// dial opens a WebSocket, reads the Engine.IO open packet and performs the
// Socket.IO CONNECT handshake.
func (c *Client) dial(ctx context.Context) (*conn, error) {
	ws, _, err := websocket.Dial(ctx, c.url, &websocket.DialOptions{HTTPClient: c.opts.HTTPClient, HTTPHeader: c.opts.Header})
	if err != nil {
		return nil, fmt.Errorf("socketio: dialing %s: %w", c.url, err)
	}
	ws.SetReadLimit(c.opts.ReadLimit)
	cn, err := c.handshake(ctx, ws)
	if err != nil {
		ws.CloseNow()
		return nil, err
	}
	return cn, nil
}

func (c *Client) handshake(ctx context.Context, ws *websocket.Conn) (*conn, error) {
	msg, err := readText(ctx, ws)
	if err != nil {
		return nil, fmt.Errorf("socketio: reading the open packet: %w", err)
	}
	if msg[0] != engineOpen {
		return nil, fmt.Errorf("socketio: expected the open packet, got %.40q", msg)
	}
	var open openPacket
	if err := json.Unmarshal([]byte(msg[1:]), &open); err != nil {
		return nil, fmt.Errorf("socketio: decoding the open packet: %w", err)
	}
	if open.PingInterval <= 0 || open.PingTimeout <= 0 {
		return nil, fmt.Errorf("socketio: open packet without ping interval or timeout: %.80q", msg)
	}
	cn := &conn{
		ws:       ws,
		pingWait: time.Duration(open.PingInterval+open.PingTimeout) * time.Millisecond,
		acks:     map[int64]chan []json.RawMessage{},
		done:     make(chan struct{}),
	}
	var auth []byte
	if c.opts.Auth != nil {
		if auth, err = json.Marshal(c.opts.Auth); err != nil {
			return nil, fmt.Errorf("socketio: encoding auth: %w", err)
		}
	}
	if err := cn.write(ctx, encodePacket(packetConnect, -1, auth)); err != nil {
		return nil, err
	}
	id, err := cn.awaitConnect(ctx)
	if err != nil {
		return nil, err
	}
	cn.id = id
	return cn, nil
}

// awaitConnect reads until the server answers CONNECT, answering pings.
func (cn *conn) awaitConnect(ctx context.Context) (string, error) {
	for {
		msg, err := readText(ctx, cn.ws)
		if err != nil {
			return "", fmt.Errorf("socketio: waiting for the CONNECT answer: %w", err)
		}
		switch msg[0] {
		case enginePing:
			if err := cn.write(ctx, []byte{enginePong}); err != nil {
				return "", err
			}
			continue
		case engineClose:
			return "", errors.New("socketio: server closed the connection during the handshake")
		case engineMessage:
		default:
			continue
		}
		p, err := decodePacket(msg[1:])
		if err != nil || p.nsp != "/" {
			continue
		}
		switch p.typ {
		case packetConnect:
			var ok struct {
				SID string `json:"sid"`
			}
			if err := json.Unmarshal(p.data, &ok); err != nil || ok.SID == "" {
				return "", fmt.Errorf("socketio: CONNECT answer without sid: %.80q", msg)
			}
			return ok.SID, nil
		case packetConnectError:
			return "", connectError(p.data)
		}
	}
}

func connectError(data json.RawMessage) error {
	var e struct {
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		// Socket.IO v2 servers sent a bare string.
		var s string
		_ = json.Unmarshal(data, &s)
		e.Message = s
	}
	return &ConnectError{Message: e.Message, Data: e.Data}
}

// readText reads the next text frame, skipping binary ones (attachments are
// not supported) and empty ones.
func readText(ctx context.Context, ws *websocket.Conn) (string, error) {
	for {
		typ, b, err := ws.Read(ctx)
		if err != nil {
			return "", err
		}
		if typ == websocket.MessageText && len(b) > 0 {
			return string(b), nil
		}
	}
}

func (cn *conn) write(ctx context.Context, b []byte) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if err := cn.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("socketio: writing: %w", err)
	}
	return nil
}

// read handles cn's packets until the connection fails, the server
// disconnects, nothing (not even a ping) arrives for pingWait, or the
// client is closed.
func (c *Client) read(cn *conn) error {
	for {
		ctx, cancel := context.WithTimeout(c.ctx, cn.pingWait)
		msg, err := readText(ctx, cn.ws)
		timedOut := ctx.Err() == context.DeadlineExceeded
		cancel()
		if err != nil {
			if timedOut {
				return fmt.Errorf("socketio: no ping from the server for %v", cn.pingWait)
			}
			return err
		}
		switch msg[0] {
		case enginePing:
			if err := cn.write(c.ctx, []byte{enginePong}); err != nil {
				return err
			}
		case engineClose:
			return errors.New("socketio: server closed the connection")
		case engineMessage:
			if err := c.handle(cn, msg[1:]); err != nil {
				return err
			}
		case engineNoop, engineUpgrade, enginePong, engineOpen:
		}
	}
}

// handle processes one Socket.IO packet of an established connection.
func (c *Client) handle(cn *conn, msg string) error {
	p, err := decodePacket(msg)
	if err != nil {
		c.log.Debug("socket.io packet ignored", slog.Any("error", err))
		return nil
	}
	if p.nsp != "/" {
		return nil
	}
	switch p.typ {
	case packetEvent:
		c.dispatch(cn, p)
	case packetAck:
		var args []json.RawMessage
		_ = json.Unmarshal(p.data, &args)
		c.mu.Lock()
		ch := cn.acks[p.ackID]
		c.mu.Unlock()
		if ch != nil {
			select {
			case ch <- args:
			default:
			}
		}
	case packetDisconnect:
		return errServerDisconnect
	case packetConnectError:
		return connectError(p.data)
	}
	return nil
}

// dispatch calls the handlers of an EVENT packet and, when the server asked
// for an acknowledgement, sends an empty one.
func (c *Client) dispatch(cn *conn, p packet) {
	var args []json.RawMessage
	if err := json.Unmarshal(p.data, &args); err != nil || len(args) == 0 {
		return
	}
	var event string
	if err := json.Unmarshal(args[0], &event); err != nil {
		return
	}
	c.mu.Lock()
	hs := c.handlers[event]
	c.mu.Unlock()
	for _, h := range hs {
		h(args[1:])
	}
	if p.ackID >= 0 {
		_ = cn.write(c.ctx, encodePacket(packetAck, p.ackID, []byte("[]")))
	}
}
