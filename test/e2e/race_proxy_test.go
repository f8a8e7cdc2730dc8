package e2e

import (
	"io"
	"net"
	"sync"
	"testing"
)

// lcProxy is a TCP proxy between Socket.IO clients and a server whose link
// the test can cut, as a network outage would, and restore.
//
// A cut closes the client side of every connection, so that the client sees
// its transport die and starts reconnecting. The server side of every other
// connection is kept open and its output discarded: the server then believes
// the old socket is alive and "delivers" to it, the harder case (a NAT that
// forgot the flow); the remaining ones are closed, so that the server sees
// the disconnect at once. While cut, new connections are accepted and closed
// at once.
type lcProxy struct {
	URL    string
	ln     net.Listener
	target string

	mu    sync.Mutex
	up    bool
	n     int
	pairs map[*lcPair]bool
	wg    sync.WaitGroup
}

type lcPair struct {
	client, server net.Conn
	blackhole      bool // on a cut, keep the server side open and drain it
	cut            bool // guarded by lcProxy.mu
}

func startLCProxy(t *testing.T, target string) *lcProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &lcProxy{URL: "http://" + ln.Addr().String(), ln: ln, target: target, up: true, pairs: map[*lcPair]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *lcProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		up := p.up
		p.mu.Unlock()
		if !up {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.n++
		pair := &lcPair{client: c, server: s, blackhole: p.n%2 == 0}
		p.pairs[pair] = true
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(pair, true)
		go p.pipe(pair, false)
	}
}

// pipe copies one direction of a pair. After a cut, a blackholed pair's
// server side stays open and what the server writes is dropped.
func (p *lcProxy) pipe(pair *lcPair, up bool) {
	defer p.wg.Done()
	if up {
		_, _ = io.Copy(pair.server, pair.client)
		if !pair.blackhole || !p.wasCut(pair) {
			pair.server.Close()
		}
		return
	}
	_, _ = io.Copy(pair.client, pair.server)
	if pair.blackhole && p.wasCut(pair) {
		_, _ = io.Copy(io.Discard, pair.server)
	}
	pair.client.Close()
	pair.server.Close()
	p.mu.Lock()
	delete(p.pairs, pair)
	p.mu.Unlock()
}

func (p *lcProxy) wasCut(pair *lcPair) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return pair.cut
}

// cut closes the client side of every connection and refuses new ones until
// restore; it returns how many connections it cut.
func (p *lcProxy) cut() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = false
	for pair := range p.pairs {
		pair.cut = true
		pair.client.Close()
		if !pair.blackhole {
			pair.server.Close()
		}
	}
	return len(p.pairs)
}

func (p *lcProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = true
}

func (p *lcProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for pair := range p.pairs {
		pair.client.Close()
		pair.server.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
