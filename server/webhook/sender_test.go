package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

const secret = "0123456789abcdef-secret"

// request is one delivery the fake receiver got.
type request struct {
	url, signature string
	events         []receipts.ReadEvent
	body           []byte
}

// fakeReceiver accepts deliveries, failing the first `fail` of them, or all
// of them while failAlways is set.
type fakeReceiver struct {
	mu         sync.Mutex
	got        []request
	fail       int
	failAlways bool
	// hold, when set, keeps each request open until the sender abandons it.
	hold bool
}

func (f *fakeReceiver) Post(ctx context.Context, url string, body []byte, signature string) error {
	var payload struct {
		Events []receipts.ReadEvent `json:"events"`
	}
	if err := json.Unmarshal(body, &payload); err != nil {
		return err
	}
	f.mu.Lock()
	f.got = append(f.got, request{url: url, signature: signature, events: payload.Events, body: body})
	hold := f.hold
	f.mu.Unlock()
	if hold {
		<-ctx.Done()
		return ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAlways || len(f.got) <= f.fail {
		return errors.New("the webhook answered 500")
	}
	return nil
}

func (f *fakeReceiver) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.got...)
}

// fakeTime is a clock that only moves when the sender waits; it records the waits.
type fakeTime struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeTime) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeTime) Wait(d time.Duration, stop <-chan struct{}) bool {
	select {
	case <-stop:
		return false
	default:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	return true
}

func (c *fakeTime) waited() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

type nopLogger struct{}

func (nopLogger) Warn(string, ...any)  {}
func (nopLogger) Error(string, ...any) {}

type harness struct {
	sender   *Sender
	receiver *fakeReceiver
	clock    *fakeTime
	mu       sync.Mutex
	url      string
}

func newHarness(t *testing.T, queueSize int) *harness {
	h := &harness{receiver: &fakeReceiver{}, clock: &fakeTime{now: time.UnixMilli(1_800_000_000_000)}, url: "http://receiver.test/hook"}
	h.sender = New(Options{
		Settings:  func() Settings { h.mu.Lock(); defer h.mu.Unlock(); return Settings{URL: h.url, Secret: secret} },
		Poster:    h.receiver,
		Logger:    nopLogger{},
		QueueSize: queueSize,
		Now:       h.clock.Now,
		Wait:      h.clock.Wait,
	})
	return h
}

func (h *harness) start(t *testing.T, filter Filter) {
	if filter == nil {
		filter = func(e []receipts.ReadEvent) ([]receipts.ReadEvent, error) { return e, nil }
	}
	h.sender.Start(filter)
	t.Cleanup(h.sender.Close)
}

func events(n int) []receipts.ReadEvent {
	out := make([]receipts.ReadEvent, n)
	for i := range out {
		out[i] = receipts.ReadEvent{ID: fmt.Sprintf("e%05d", i), PostID: "p", ChannelID: "c", AuthorID: "a",
			ReaderID: fmt.Sprintf("r%05d", i), ReadAt: int64(i)}
	}
	return out
}

func (h *harness) waitRequests(t *testing.T, n int) []request {
	require.Eventually(t, func() bool { return len(h.receiver.requests()) >= n }, 5*time.Second, time.Millisecond)
	return h.receiver.requests()
}

func TestBatchesOfAtMost500SignedAndPaced(t *testing.T) {
	h := newHarness(t, 0)
	for _, e := range events(1200) {
		h.sender.Read(e)
	}
	h.start(t, nil)
	got := h.waitRequests(t, 3)
	require.Len(t, got, 3)
	var ids []string
	for i, r := range got {
		assert.Equal(t, []int{500, 500, 200}[i], len(r.events))
		assert.Equal(t, h.url, r.url)
		assert.Equal(t, Sign(secret, r.body), r.signature)
		for _, e := range r.events {
			ids = append(ids, e.ID)
		}
	}
	want := events(1200)
	for i := range want {
		require.Equal(t, want[i].ID, ids[i], "events go out once each, in order")
	}
	require.Eventually(t, func() bool { return len(h.clock.waited()) >= 3 }, 5*time.Second, time.Millisecond)
	for _, w := range h.clock.waited() {
		assert.GreaterOrEqual(t, w, MinInterval, "at most one request a second")
	}
}

func TestRetriesWithBackoffThenDelivers(t *testing.T) {
	h := newHarness(t, 0)
	h.receiver.fail = 3
	for _, e := range events(2) {
		h.sender.Read(e)
	}
	h.start(t, nil)
	got := h.waitRequests(t, 4)
	for _, r := range got {
		assert.Equal(t, got[0].body, r.body, "a retry sends the same events with the same ids")
	}
	waits := h.clock.waited()
	require.GreaterOrEqual(t, len(waits), 3)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, waits[:3])
	assert.Zero(t, h.sender.Dropped())
}

func TestGivesUpAfterAnHourAndCountsTheDrop(t *testing.T) {
	h := newHarness(t, 0)
	h.receiver.failAlways = true
	h.start(t, nil)
	h.sender.Read(events(1)[0])
	require.Eventually(t, func() bool { return h.sender.Dropped() == 1 }, 5*time.Second, time.Millisecond)
	var total time.Duration
	tries := len(h.receiver.requests())
	for _, w := range h.clock.waited()[:tries-1] {
		total += w
		assert.LessOrEqual(t, w, maxBackoff)
	}
	assert.LessOrEqual(t, total, RetryFor, "retries stop within the hour")
	assert.Greater(t, total, RetryFor-maxBackoff, "and go on for most of it")

	h.receiver.mu.Lock()
	h.receiver.failAlways = false
	h.receiver.mu.Unlock()
	h.sender.Read(events(2)[1])
	got := h.waitRequests(t, tries+1)
	assert.Equal(t, "e00001", got[len(got)-1].events[0].ID, "later events still go out")
}

func TestFullQueueDropsWithoutBlocking(t *testing.T) {
	h := newHarness(t, 10)
	for _, e := range events(15) {
		h.sender.Read(e) // not started: nothing drains the queue
	}
	assert.Equal(t, int64(5), h.sender.Dropped())
	h.start(t, nil)
	got := h.waitRequests(t, 1)
	assert.Len(t, got[0].events, 10)
}

func TestPrivacyFilterAndSwitchingOff(t *testing.T) {
	h := newHarness(t, 0)
	for _, e := range events(3) {
		h.sender.Read(e)
	}
	failOnce := true
	h.start(t, func(e []receipts.ReadEvent) ([]receipts.ReadEvent, error) {
		if failOnce {
			failOnce = false
			return nil, errors.New("opt-outs unavailable")
		}
		return e[1:], nil
	})
	got := h.waitRequests(t, 1)
	assert.Equal(t, []string{"e00001", "e00002"}, []string{got[0].events[0].ID, got[0].events[1].ID},
		"what the filter removes is never sent, and a failing filter sends nothing")

	h.mu.Lock()
	h.url = ""
	h.mu.Unlock()
	h.sender.Read(events(4)[3])
	require.Eventually(t, func() bool { return len(h.clock.waited()) >= 3 }, 5*time.Second, time.Millisecond)
	assert.Len(t, h.receiver.requests(), 1, "nothing is sent once the URL is cleared")
}

// memSpool is a Spool in memory.
type memSpool struct {
	mu     sync.Mutex
	events []receipts.ReadEvent
}

func (m *memSpool) SpoolReadEvents(events []receipts.ReadEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, events...)
	return nil
}

func (m *memSpool) ClaimSpooledReadEvents() ([]receipts.ReadEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.events
	m.events = nil
	return out, nil
}

func TestUndeliveredEventsSurviveARestart(t *testing.T) {
	spool := &memSpool{}
	h := newHarness(t, 0)
	h.sender.opts.Spool = spool
	h.receiver.hold = true
	h.sender.Start(func(e []receipts.ReadEvent) ([]receipts.ReadEvent, error) { return e, nil })
	for _, e := range events(MaxBatch + 2) {
		h.sender.Read(e)
	}
	h.waitRequests(t, 1) // the receiver holds the first batch
	h.sender.Close()
	assert.Len(t, spool.events, MaxBatch+2, "the batch in flight and the queue are spooled")

	next := newHarness(t, 0)
	next.sender.opts.Spool = spool
	next.start(t, nil)
	got := next.waitRequests(t, 2)
	assert.Equal(t, "e00000", got[0].events[0].ID)
	assert.Equal(t, MaxBatch+2, len(got[0].events)+len(got[1].events))
	assert.Empty(t, spool.events, "claimed")
}
