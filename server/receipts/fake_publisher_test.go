package receipts_test

import "sync"

// event is one published websocket event.
type event struct {
	name    string
	payload map[string]any
	userID  string
	channel string
}

type fakePublisher struct {
	mu     sync.Mutex
	events []event
}

func (p *fakePublisher) ToUser(name string, payload map[string]any, userID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, event{name: name, payload: payload, userID: userID})
}

func (p *fakePublisher) ToChannel(name string, payload map[string]any, channelID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, event{name: name, payload: payload, channel: channelID})
}

func (p *fakePublisher) ToAll(name string, payload map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, event{name: name, payload: payload})
}

func (p *fakePublisher) all() []event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]event(nil), p.events...)
}

type nopLogger struct{}

func (nopLogger) Debug(string, ...any) {}
func (nopLogger) Info(string, ...any)  {}
func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}
