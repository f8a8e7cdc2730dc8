package notify

import (
	"slices"
	"sync"
	"testing"

	"github.com/zishang520/socket.io/servers/socket/v3"
)

// TestLedgerExactlyOnce drives every order of "the job ends" (claimAll,
// with the room's members as candidates) and "a socket watches an ended
// job" (claimOne): each socket is served once.
func TestLedgerExactlyOnce(t *testing.T) {
	const job = 7
	a, b := socket.SocketId("a"), socket.SocketId("b")

	t.Run("watch before the end", func(t *testing.T) {
		l := newLedger()
		l.wait(job, a)
		got := l.claimAll(job, []socket.SocketId{a, b}) // a watches and is in the room
		slices.Sort(got)
		if !slices.Equal(got, []socket.SocketId{a, b}) {
			t.Errorf("claimAll = %v, want a and b once each", got)
		}
		if l.claimOne(job, a) {
			t.Error("a served twice")
		}
	})
	t.Run("watch after the end", func(t *testing.T) {
		l := newLedger()
		if got := l.claimAll(job, []socket.SocketId{b}); !slices.Equal(got, []socket.SocketId{b}) {
			t.Errorf("claimAll = %v", got)
		}
		if !l.claimOne(job, a) {
			t.Error("a late watcher must be served")
		}
		if l.claimOne(job, b) {
			t.Error("b got the room's event; watching must not repeat it")
		}
	})
	t.Run("registered, then the end races the re-read", func(t *testing.T) {
		l := newLedger()
		l.wait(job, a)
		served := l.claimAll(job, nil)
		if !slices.Equal(served, []socket.SocketId{a}) || l.claimOne(job, a) {
			t.Errorf("claimAll = %v; the re-read must not serve a again", served)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		for range 200 {
			l := newLedger()
			var mu sync.Mutex
			count := map[socket.SocketId]int{}
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				for _, s := range l.claimAll(job, []socket.SocketId{a, b}) {
					mu.Lock()
					count[s]++
					mu.Unlock()
				}
			}()
			go func() {
				defer wg.Done()
				l.wait(job, a)
				if l.claimOne(job, a) {
					mu.Lock()
					count[a]++
					mu.Unlock()
				}
			}()
			wg.Wait()
			if count[a] != 1 || count[b] != 1 {
				t.Fatalf("served %v, want each once", count)
			}
		}
	})
	t.Run("disconnected sockets are forgotten", func(t *testing.T) {
		l := newLedger()
		l.wait(job, a)
		l.forget(a)
		if len(l.waiters(job)) != 0 {
			t.Error("a disconnected socket still waits")
		}
	})
}
