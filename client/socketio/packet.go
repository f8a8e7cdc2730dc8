package socketio

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Engine.IO v4 packet types, the first byte of every WebSocket text frame.
const (
	engineOpen    = '0'
	engineClose   = '1'
	enginePing    = '2'
	enginePong    = '3'
	engineMessage = '4'
	engineUpgrade = '5'
	engineNoop    = '6'
)

// Socket.IO v5 packet types (the protocol behind Socket.IO v3 and v4), the
// first byte after the Engine.IO message type.
const (
	packetConnect      = '0'
	packetDisconnect   = '1'
	packetEvent        = '2'
	packetAck          = '3'
	packetConnectError = '4'
	packetBinaryEvent  = '5'
	packetBinaryAck    = '6'
)

// openPacket is the payload of the Engine.IO open packet.
type openPacket struct {
	SID          string   `json:"sid"`
	Upgrades     []string `json:"upgrades"`
	PingInterval int      `json:"pingInterval"` // milliseconds
	PingTimeout  int      `json:"pingTimeout"`  // milliseconds
	MaxPayload   int      `json:"maxPayload"`
}

// packet is one decoded Socket.IO packet of the default namespace.
type packet struct {
	typ   byte
	nsp   string
	ackID int64 // -1 when the packet carries none
	data  json.RawMessage
}

var errBinary = errors.New("binary packets are not supported")

// decodePacket parses a Socket.IO packet (the Engine.IO message payload):
// type, optional attachment count, optional "/nsp,", optional ack id, JSON.
func decodePacket(s string) (packet, error) {
	if s == "" {
		return packet{}, errors.New("empty packet")
	}
	p := packet{typ: s[0], nsp: "/", ackID: -1}
	if p.typ < packetConnect || p.typ > packetBinaryAck {
		return packet{}, fmt.Errorf("unknown packet type %q", p.typ)
	}
	if p.typ == packetBinaryEvent || p.typ == packetBinaryAck {
		return packet{}, errBinary
	}
	rest := s[1:]
	if len(rest) > 0 && rest[0] == '/' {
		end := strings.IndexByte(rest, ',')
		if end < 0 {
			p.nsp, rest = rest, ""
		} else {
			p.nsp, rest = rest[:end], rest[end+1:]
		}
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i > 0 {
		id, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil {
			return packet{}, fmt.Errorf("bad ack id %q: %w", rest[:i], err)
		}
		p.ackID, rest = id, rest[i:]
	}
	if rest != "" {
		if !json.Valid([]byte(rest)) {
			return packet{}, fmt.Errorf("packet payload is not JSON: %.40q", rest)
		}
		p.data = json.RawMessage(rest)
	}
	return p, nil
}

// encodePacket renders a packet of the default namespace, Engine.IO message
// prefix included.
func encodePacket(typ byte, ackID int64, data []byte) []byte {
	b := make([]byte, 0, len(data)+24)
	b = append(b, engineMessage, typ)
	if ackID >= 0 {
		b = strconv.AppendInt(b, ackID, 10)
	}
	return append(b, data...)
}

// encodeArgs renders an event's name and arguments as the JSON array the
// EVENT packet carries.
func encodeArgs(event string, args []any) ([]byte, error) {
	all := make([]any, 0, len(args)+1)
	if event != "" {
		all = append(all, event)
	}
	all = append(all, args...)
	b, err := json.Marshal(all)
	if err != nil {
		return nil, fmt.Errorf("encoding arguments of %q: %w", event, err)
	}
	return b, nil
}
