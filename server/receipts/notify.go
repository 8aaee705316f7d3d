package receipts

import (
	"sync"
	"time"
)

// notifier coalesces receipt events: a post's event goes out at most once an
// interval (reads within it fold into one event with the latest counts), and
// everything due at the same moment goes out as one batch, so a view that
// reads fifty posts of one author sends that author one event, not fifty.
// One timer serves every pending post.
type notifier struct {
	mu       sync.Mutex
	interval time.Duration
	send     func(postIDs []string)
	lastSent map[string]time.Time
	pending  map[string]bool
	timer    *time.Timer
	stopped  bool
	// lastTouch and firstTouch bound the gathering of a batch.
	lastTouch, firstTouch time.Time
}

// A batch gathers changes while they keep coming (each within gather of the
// last), for at most maxGather: a conversation-level read of many posts
// becomes one event per author.
const (
	gather    = 25 * time.Millisecond
	maxGather = 500 * time.Millisecond
)

func newNotifier(interval time.Duration, send func(postIDs []string)) *notifier {
	return &notifier{
		interval: interval,
		send:     send,
		lastSent: map[string]time.Time{},
		pending:  map[string]bool{},
	}
}

// touch says that a post's receipt changed.
func (n *notifier) touch(postID string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.stopped || n.pending[postID] {
		return
	}
	now := time.Now()
	if len(n.pending) == 0 {
		n.firstTouch = now
	}
	n.pending[postID] = true
	n.lastTouch = now
	if n.timer == nil {
		n.schedule(now)
	}
}

// schedule sets the timer for the earliest pending post. Called with mu held.
func (n *notifier) schedule(now time.Time) {
	wait := time.Duration(-1)
	for id := range n.pending {
		d := n.interval - now.Sub(n.lastSent[id])
		if wait < 0 || d < wait {
			wait = d
		}
	}
	n.timer = time.AfterFunc(max(wait, gather), n.fire)
}

// fire sends the posts that are due and waits again for the others.
func (n *notifier) fire() {
	n.mu.Lock()
	if n.stopped {
		n.mu.Unlock()
		return
	}
	now := time.Now()
	if now.Sub(n.lastTouch) < gather && now.Sub(n.firstTouch) < maxGather {
		n.timer = time.AfterFunc(gather, n.fire) // changes are still coming
		n.mu.Unlock()
		return
	}
	n.prune(now)
	var due []string
	for id := range n.pending {
		if now.Sub(n.lastSent[id]) >= n.interval {
			due = append(due, id)
			delete(n.pending, id)
			n.lastSent[id] = now
		}
	}
	n.timer = nil
	if len(n.pending) > 0 {
		n.firstTouch = now
		n.schedule(now)
	}
	n.mu.Unlock()
	if len(due) > 0 {
		n.send(due)
	}
}

// prune forgets send times that no longer hold anything back. Called with mu held.
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
	if n.timer != nil {
		n.timer.Stop()
	}
	n.pending = map[string]bool{}
}
