package receipts

import (
	"maps"
	"sync"
)

// What the views job remembers on the server that runs it, besides what it
// keeps in the KV (see views.go): all of it may be lost (a restart, another
// server) at the cost of some work, never of a read.

// viewState is what the polling server remembers besides the KV: channels
// it found settled (valid whichever server polled since, as settling depends
// only on the index), the view digests at which every view had been applied
// (valid too: views only move forward), and when quiet channels were polled.
type viewState struct {
	mu      sync.Mutex
	settled map[string]int // channel -> index size when everyone had viewed its newest post
	digests map[string]ViewDigest
	// total is the one-row digest of every watched channel taken before the
	// last poll; allKnown, whether that poll found each of them needing nothing.
	total    watchedTotal
	allKnown bool
	seen     map[string]map[string]int64 // channel -> member -> view applied for good
	polled   map[string]int64            // channel -> when a quiet channel was last looked at
	next     int                         // round-robin position when a poll is cut short
}

func newViewState() *viewState {
	return &viewState{settled: map[string]int{}, polled: map[string]int64{}, digests: map[string]ViewDigest{},
		seen: map[string]map[string]int64{}}
}

// dueSlowPoll reports whether a quiet channel is due, and if so notes the poll.
func (v *viewState) dueSlowPoll(channelID string, now int64) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if now-v.polled[channelID] < slowPollMillis {
		return false
	}
	v.polled[channelID] = now
	return true
}

// seenViews returns a copy of the views this server applied in the channel.
func (v *viewState) seenViews(channelID string) map[string]int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return maps.Clone(v.seen[channelID])
}

func (v *viewState) markViewSeen(channelID string, view View) {
	v.mu.Lock()
	defer v.mu.Unlock()
	m := v.seen[channelID]
	if m == nil {
		m = map[string]int64{}
		v.seen[channelID] = m
	}
	m[view.UserID] = view.LastViewedAt
}

// sameDigest reports whether the channel's views and newest post are what
// they were when every view had been applied (or everyone had viewed).
func (v *viewState) sameDigest(channelID string, d ViewDigest) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	old, ok := v.digests[channelID]
	return ok && old == d
}

func (v *viewState) markDigest(channelID string, m ViewMark) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.digests[channelID] = ViewDigest{Members: m.Members, Sum: m.Sum, LastPostAt: m.LastPostAt}
}

func (v *viewState) markDigestIfKnown(channelID string, m *ViewMark) {
	if m != nil {
		v.markDigest(channelID, *m)
	}
}

func (v *viewState) isSettled(channelID string, size int) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	at, ok := v.settled[channelID]
	return ok && at == size
}

func (v *viewState) markSettled(channelID string, size int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.settled[channelID] = size
}

// forgetUnwatched drops what is remembered of channels no longer watched, so
// memory follows the watched set. Called with mu held.
func (v *viewState) forgetUnwatched(watched []WatchedChannel) {
	keep := make(map[string]bool, len(watched))
	for _, ch := range watched {
		keep[ch.ID] = true
	}
	dropUnkept(v.settled, keep)
	dropUnkept(v.polled, keep)
	dropUnkept(v.digests, keep)
	dropUnkept(v.seen, keep)
}

// dropUnkept deletes the channels not in keep.
func dropUnkept[V any](byChannel map[string]V, keep map[string]bool) {
	maps.DeleteFunc(byChannel, func(ch string, _ V) bool { return !keep[ch] })
}
