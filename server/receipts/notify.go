package receipts

import (
	"sync"
	"time"
)

// notifier coalesces events per post: the first read sends at once, later
// reads within the interval are folded into one send at the interval's end,
// which always computes the latest counts.
type notifier struct {
	mu       sync.Mutex
	interval time.Duration
	send     func(postID string)
	lastSent map[string]time.Time
	pending  map[string]*time.Timer
	stopped  bool
}

func newNotifier(interval time.Duration, send func(postID string)) *notifier {
	return &notifier{
		interval: interval,
		send:     send,
		lastSent: map[string]time.Time{},
		pending:  map[string]*time.Timer{},
	}
}

// touch says that a post's receipt changed.
func (n *notifier) touch(postID string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped || n.pending[postID] != nil {
		return
	}
	now := time.Now()
	n.prune(now)
	wait := n.interval - now.Sub(n.lastSent[postID])
	if wait < 0 {
		wait = 0
	}
	n.pending[postID] = time.AfterFunc(wait, func() { n.fire(postID) })
}

func (n *notifier) fire(postID string) {
	n.mu.Lock()
	if n.stopped {
		n.mu.Unlock()
		return
	}
	delete(n.pending, postID)
	n.lastSent[postID] = time.Now()
	n.mu.Unlock()
	n.send(postID)
}

// prune forgets send times that no longer hold anything back.
func (n *notifier) prune(now time.Time) {
	if len(n.lastSent) < 1024 {
		return
	}
	for id, t := range n.lastSent {
		if now.Sub(t) > n.interval {
			delete(n.lastSent, id)
		}
	}
}

func (n *notifier) stop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stopped = true
	for _, t := range n.pending {
		t.Stop()
	}
	n.pending = map[string]*time.Timer{}
}
