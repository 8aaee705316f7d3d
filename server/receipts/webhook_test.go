package receipts_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// sink keeps the read events handed to the webhook.
type sink struct {
	mu     sync.Mutex
	events []receipts.ReadEvent
}

func (s *sink) Read(e receipts.ReadEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
}

func (s *sink) all() []receipts.ReadEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receipts.ReadEvent(nil), s.events...)
}

func webhookEnv(t *testing.T) (*env, *sink) {
	e := newEnv(t, func(c *config.Config) {
		c.WebhookURL, c.WebhookSecret = "https://hooks.example.com", "0123456789abcdef"
	})
	out := &sink{}
	e.svc = receipts.New(receipts.Deps{
		Store: store.New(e.kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour, ReadEvents: out,
	})
	t.Cleanup(e.svc.Close)
	return e, out
}

func TestRecordedReadsGoToTheWebhook(t *testing.T) {
	e, out := webhookEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p := e.post(ch, alice)
	e.read(bob, p)
	e.read(bob, p) // already read: no second event
	e.read(alice, p)

	got := out.all()
	require.Len(t, got, 1)
	page, err := e.svc.Readers(alice, p, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	require.NoError(t, err)
	assert.Equal(t, receipts.ReadEvent{ID: got[0].ID, PostID: p, ChannelID: ch, AuthorID: alice, ReaderID: bob,
		ReadAt: page.Users[0].ReadAt}, got[0])
	assert.Len(t, got[0].ID, 32)

	e.setConfig(func(c *config.Config) { c.WebhookURL = "" })
	e.read(carol, p)
	assert.Len(t, out.all(), 1, "no webhook, no events")
}

func TestVisibleReadsKeepsThePrivacyRules(t *testing.T) {
	e, _ := webhookEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	ev := func(author, reader string) receipts.ReadEvent {
		return receipts.ReadEvent{ID: author + reader, ChannelID: ch, AuthorID: author, ReaderID: reader}
	}
	all := []receipts.ReadEvent{ev(alice, bob), ev(bob, carol), ev(carol, alice)}
	_, err := e.svc.SetSendReadReceipts(bob, false)
	require.NoError(t, err)

	got, err := e.svc.VisibleReads(all)
	require.NoError(t, err)
	assert.Equal(t, []receipts.ReadEvent{ev(carol, alice)}, got,
		"none from a reader who stopped sending, none to an author hidden by reciprocity")

	e.setConfig(func(c *config.Config) { c.Reciprocal = false })
	got, err = e.svc.VisibleReads(all)
	require.NoError(t, err)
	assert.Equal(t, []receipts.ReadEvent{ev(bob, carol), ev(carol, alice)}, got)

	e.setConfig(func(c *config.Config) { c.PrivacyPolicy = config.PrivacyAlwaysOn })
	got, err = e.svc.VisibleReads(all)
	require.NoError(t, err)
	assert.Equal(t, all, got, "under always_on everyone sends")

	e.mm.leave(ch, carol)
	got, err = e.svc.VisibleReads(all)
	require.NoError(t, err)
	assert.Equal(t, []receipts.ReadEvent{ev(alice, bob), ev(bob, carol)}, got, "none for an author who left the channel")
}

// TestWebhookAddsNoStorageWorkToReads: recording a read takes as many KV
// operations with the webhook on as with it off.
func TestWebhookAddsNoStorageWorkToReads(t *testing.T) {
	opsPerRead := func(url string) int64 {
		e := newEnv(t, func(c *config.Config) { c.WebhookURL, c.WebhookSecret = url, "0123456789abcdef" })
		kv := &countingKV{KV: e.kv}
		out := &sink{}
		e.svc = receipts.New(receipts.Deps{
			Store: store.New(kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
			Config: e.config, Secret: []byte("s"), Now: e.clock, NotifyInterval: time.Hour, ReadEvents: out,
		})
		t.Cleanup(e.svc.Close)
		alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
		ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, e.mm.addUser("carol"))
		p := e.post(ch, alice)
		before := kv.ops.Load()
		e.read(bob, p)
		if url != "" {
			require.Len(t, out.all(), 1)
		}
		return kv.ops.Load() - before
	}
	off, on := opsPerRead(""), opsPerRead("https://hooks.example.com")
	t.Logf("KV operations to record one read: webhook off %d, on %d", off, on)
	assert.Equal(t, off, on)
}
