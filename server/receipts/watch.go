package receipts

import "sync"

// watchList notes the channels whose views are polled (see views.go): a
// channel is watched from its tracked posts.
type watchList struct {
	store interface {
		Watch(channelID string, at, dropBefore int64) error
	}
	log Logger
	now func() int64

	mu      sync.Mutex
	written map[string]int64 // channel -> last time this server wrote its watch entry
}

// add adds the channel to the watched set, writing at most once an hour per
// channel from each server.
func (w *watchList) add(channelID string) {
	now := w.now()
	w.mu.Lock()
	if w.written == nil {
		w.written = map[string]int64{}
	}
	if len(w.written) > 10000 {
		for ch, at := range w.written {
			if now-at >= hourMillis {
				delete(w.written, ch)
			}
		}
	}
	last := w.written[channelID]
	fresh := now-last < hourMillis
	if !fresh {
		w.written[channelID] = now
	}
	w.mu.Unlock()
	if fresh {
		return
	}
	if err := w.store.Watch(channelID, now, now-WatchDays*dayMillis); err != nil {
		w.log.Warn("failed to watch channel for views", "channel_id", channelID, "err", err.Error())
		w.mu.Lock()
		delete(w.written, channelID) // the next tracked post tries again
		w.mu.Unlock()
	}
}
