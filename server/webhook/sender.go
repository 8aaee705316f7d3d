// Package webhook delivers recorded reads to the admin's WebhookURL: a
// bounded queue per server, batches of up to 500 events, at most one request
// a second, each body signed with HMAC-SHA256, and retries with backoff for
// up to an hour. Recording a read only appends to the queue; when the queue
// is full the event is dropped, counted and logged.
package webhook

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// Limits of delivery.
const (
	MaxBatch     = 500
	QueueSize    = 20_000
	MinInterval  = time.Second
	RetryFor     = time.Hour
	firstBackoff = time.Second
	maxBackoff   = 5 * time.Minute
	dropLogEvery = time.Minute
)

// Settings are where to send and how to sign; an empty URL sends nothing.
type Settings struct {
	URL    string
	Secret string
}

// Poster sends one signed body; an error (or a status other than 2xx) means
// the batch must be sent again. A cancelled ctx abandons the request.
type Poster interface {
	Post(ctx context.Context, url string, body []byte, signature string) error
}

// Spool keeps undelivered events across a restart: a stopping server saves
// what it holds, a starting one claims what any server saved.
type Spool interface {
	SpoolReadEvents(events []receipts.ReadEvent) error
	ClaimSpooledReadEvents() ([]receipts.ReadEvent, error)
}

// Filter keeps the events that may be sent now (the privacy rules).
type Filter func(events []receipts.ReadEvent) ([]receipts.ReadEvent, error)

// Logger is a structured logger.
type Logger interface {
	Warn(msg string, keyValuePairs ...any)
	Error(msg string, keyValuePairs ...any)
}

// Options build a Sender. Wait and Now are for tests; nil means real time.
type Options struct {
	Settings func() Settings
	Poster   Poster
	Logger   Logger
	// Spool, when set, carries undelivered events over a restart.
	Spool Spool
	// QueueSize bounds the events waiting; zero means QueueSize.
	QueueSize int
	Now       func() time.Time
	// Wait sleeps for d and reports false when the sender is closing.
	Wait func(d time.Duration, stop <-chan struct{}) bool
}

// Sender is one server's webhook queue and its delivery loop.
type Sender struct {
	opts   Options
	filter Filter

	mu          sync.Mutex
	queue       []receipts.ReadEvent
	inflight    []receipts.ReadEvent
	dropped     int64
	lastDropLog time.Time

	wake   chan struct{}
	stop   chan struct{}
	done   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
}

var _ receipts.ReadEvents = (*Sender)(nil)

// New returns a Sender; Start begins delivery.
func New(o Options) *Sender {
	if o.QueueSize <= 0 {
		o.QueueSize = QueueSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Wait == nil {
		o.Wait = sleep
	}
	if o.Poster == nil {
		o.Poster = NewHTTPPoster()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Sender{opts: o, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		ctx: ctx, cancel: cancel}
}

// Start takes over what stopped servers spooled, then runs the delivery loop
// with the privacy filter.
func (s *Sender) Start(filter Filter) {
	s.filter = filter
	if s.opts.Spool != nil {
		events, err := s.opts.Spool.ClaimSpooledReadEvents()
		if err != nil {
			s.opts.Logger.Warn("failed to take over spooled webhook events", "err", err.Error())
		}
		for _, e := range events {
			s.Read(e)
		}
	}
	go s.run()
}

// Close stops delivery, abandoning a request in progress, and spools what
// was not delivered for the next server that starts.
func (s *Sender) Close() {
	close(s.stop)
	s.cancel()
	<-s.done
	s.mu.Lock()
	left := append(s.inflight, s.queue...)
	s.inflight, s.queue = nil, nil
	s.mu.Unlock()
	if len(left) == 0 || s.opts.Spool == nil || s.opts.Settings().URL == "" {
		return
	}
	if err := s.opts.Spool.SpoolReadEvents(left); err != nil {
		s.mu.Lock()
		s.dropLocked(len(left), "failed to spool them at shutdown")
		s.mu.Unlock()
	}
}

// Read queues a recorded read. It never blocks: a full queue drops the event.
func (s *Sender) Read(e receipts.ReadEvent) {
	s.mu.Lock()
	if len(s.queue) >= s.opts.QueueSize {
		s.dropLocked(1, "the webhook queue is full")
		s.mu.Unlock()
		return
	}
	s.queue = append(s.queue, e)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Dropped is how many events this server has dropped since it started.
func (s *Sender) Dropped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// dropLocked counts dropped events and logs them at most once a minute.
func (s *Sender) dropLocked(n int, why string) {
	s.dropped += int64(n)
	if now := s.opts.Now(); now.Sub(s.lastDropLog) >= dropLogEvery {
		s.lastDropLog = now
		s.opts.Logger.Error("dropped webhook read events", "reason", why, "dropped_since_start", s.dropped)
	}
}

func (s *Sender) run() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		}
		for {
			batch := s.take()
			if len(batch) == 0 {
				break
			}
			s.deliver(batch)
			// At most one request a second, whatever happened to the last one.
			if !s.opts.Wait(MinInterval, s.stop) {
				return
			}
		}
	}
}

// take removes up to MaxBatch events from the head of the queue.
func (s *Sender) take() []receipts.ReadEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(len(s.queue), MaxBatch)
	batch := append([]receipts.ReadEvent(nil), s.queue[:n]...)
	s.queue = append(s.queue[:0], s.queue[n:]...)
	s.inflight = batch
	return batch
}

// settle forgets the batch in flight: delivered, given up or spooled.
func (s *Sender) settle() {
	s.mu.Lock()
	s.inflight = nil
	s.mu.Unlock()
}

// deliver sends a batch until it is accepted, backing off between tries,
// and gives it up (counted) once an hour has passed since the first try.
func (s *Sender) deliver(batch []receipts.ReadEvent) {
	first := s.opts.Now()
	backoff := firstBackoff
	for {
		err := s.attempt(batch)
		if err == nil {
			s.settle()
			return
		}
		if s.opts.Now().Add(backoff).Sub(first) > RetryFor {
			s.mu.Lock()
			s.inflight = nil
			s.dropLocked(len(batch), "the webhook failed for an hour")
			s.mu.Unlock()
			return
		}
		s.opts.Logger.Warn("failed to deliver webhook read events; will retry", "events", len(batch),
			"retry_in", backoff.String(), "err", err.Error())
		if !s.opts.Wait(backoff, s.stop) {
			return
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// attempt applies the privacy rules as they are now and sends what is left.
// A webhook turned off meanwhile takes the batch as delivered.
func (s *Sender) attempt(batch []receipts.ReadEvent) error {
	set := s.opts.Settings()
	if set.URL == "" {
		return nil
	}
	visible, err := s.filter(batch)
	if err != nil || len(visible) == 0 {
		return err
	}
	body, err := json.Marshal(struct {
		Events []receipts.ReadEvent `json:"events"`
	}{visible})
	if err != nil {
		return err
	}
	return s.opts.Poster.Post(s.ctx, set.URL, body, Sign(set.Secret, body))
}

func sleep(d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	}
}
