package mmtest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// ErrClosed is returned when the websocket closed while waiting.
var ErrClosed = errors.New("the websocket closed")

// Listener collects every websocket event one user receives.
type Listener struct {
	ws *model.WebSocketClient

	mu      sync.Mutex
	events  []*model.WebSocketEvent
	changed chan struct{} // closed and replaced whenever an event arrives
	closed  bool
}

// Listen opens a websocket for the token and waits (up to 10 s) for the
// server's hello, so that events sent afterwards reach it.
func Listen(token string) (*Listener, error) {
	ws, err := model.NewWebSocketClient4(WebSocketURL(), token)
	if err != nil {
		return nil, fmt.Errorf("failed to open the websocket: %w", err)
	}
	l := &Listener{ws: ws, changed: make(chan struct{})}
	ws.Listen()
	go l.collect()
	if _, err := l.WaitFor(string(model.WebsocketEventHello), 10*time.Second, nil); err != nil {
		l.Close()
		return nil, fmt.Errorf("the websocket was not authenticated: %w", err)
	}
	return l, nil
}

func (l *Listener) collect() {
	events, responses, pings := l.ws.EventChannel, l.ws.ResponseChannel, l.ws.PingTimeoutChannel
	for events != nil || responses != nil {
		select {
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			l.mu.Lock()
			l.events = append(l.events, ev)
			close(l.changed)
			l.changed = make(chan struct{})
			l.mu.Unlock()
		case _, ok := <-responses:
			if !ok {
				responses = nil
			}
		case <-pings:
		}
	}
	l.mu.Lock()
	l.closed = true
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// Close closes the websocket.
func (l *Listener) Close() { l.ws.Close() }

// Events returns the events received so far with this name (all when name is empty).
func (l *Listener) Events(name string) []*model.WebSocketEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*model.WebSocketEvent
	for _, ev := range l.events {
		if name == "" || string(ev.EventType()) == name {
			out = append(out, ev)
		}
	}
	return out
}

// WaitFor returns the first event (received at any time since Listen) named
// name for which match (nil: any) is true, waiting up to timeout.
func (l *Listener) WaitFor(name string, timeout time.Duration, match func(*model.WebSocketEvent) bool) (*model.WebSocketEvent, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		l.mu.Lock()
		events, changed, closed := l.events, l.changed, l.closed
		l.mu.Unlock()
		for ; seen < len(events); seen++ {
			ev := events[seen]
			if string(ev.EventType()) == name && (match == nil || match(ev)) {
				return ev, nil
			}
		}
		if closed {
			return nil, fmt.Errorf("%w before %s arrived (%v)", ErrClosed, name, l.ws.ListenError)
		}
		select {
		case <-changed:
		case <-deadline.C:
			return nil, fmt.Errorf("no matching %s event within %s (%d events received)", name, timeout, len(events))
		}
	}
}

// NotReceived waits the full duration and returns an error if a matching event
// named name arrived (at any time since Listen), or if the websocket closed so
// that it could not have seen one.
func (l *Listener) NotReceived(name string, within time.Duration, match func(*model.WebSocketEvent) bool) error {
	ev, err := l.WaitFor(name, within, match)
	switch {
	case err == nil:
		return fmt.Errorf("unexpected %s event: %v", name, ev.GetData())
	case errors.Is(err, ErrClosed):
		return err
	}
	return nil
}
