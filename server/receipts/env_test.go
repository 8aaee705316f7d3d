package receipts_test

import (
	"sync"
	"testing"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
	"github.com/stretchr/testify/require"
)

// env is a Service over fakes, with a settable clock and settings.
type env struct {
	t    *testing.T
	mm   *fakePlatform
	kv   *kvtest.MemKV
	pub  *fakePublisher
	svc  *receipts.Service
	cfg  config.Config
	mu   sync.Mutex
	now  time.Time
	tick int64
}

func newEnv(t *testing.T, change ...func(*config.Config)) *env {
	t.Helper()
	e := &env{t: t, mm: newFakePlatform(), kv: kvtest.NewMemKV(1), pub: &fakePublisher{}, cfg: config.Default(),
		now: time.UnixMilli(1_800_000_000_000)}
	e.cfg.EnablePrivateChannels, e.cfg.EnablePublicChannels = true, true
	for _, c := range change {
		c(&e.cfg)
	}
	require.NoError(t, e.cfg.Validate())
	e.svc = receipts.New(receipts.Deps{
		Store: store.New(e.kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock,
		NotifyInterval: time.Hour,
	})
	t.Cleanup(e.svc.Close)
	return e
}

func (e *env) config() config.Config {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cfg
}

func (e *env) setConfig(change func(*config.Config)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	change(&e.cfg)
}

// clock moves forward a millisecond per call, so every event has its own time.
func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tick++
	return e.now.Add(time.Duration(e.tick) * time.Millisecond)
}

// advance moves the clock forward.
func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// post creates a post in Mattermost and runs the posted hook.
func (e *env) post(channelID, userID string, change ...func(*receipts.Post)) string {
	p := receipts.Post{ID: newID(), ChannelID: channelID, UserID: userID, CreateAt: e.clock().UnixMilli()}
	for _, c := range change {
		c(&p)
	}
	e.mm.addPost(p)
	e.svc.PostCreated(p)
	return p.ID
}

func (e *env) read(userID string, postIDs ...string) receipts.ReadResult {
	e.t.Helper()
	res, err := e.svc.RecordReads(userID, postIDs)
	require.NoError(e.t, err)
	return res
}

func (e *env) receipt(userID, postID string) receipts.Receipt {
	e.t.Helper()
	res, err := e.svc.QueryReceipts(userID, []string{postID})
	require.NoError(e.t, err)
	require.Empty(e.t, res.Skipped, "query skipped the post")
	require.Len(e.t, res.Receipts, 1)
	return res.Receipts[0]
}

func (e *env) skipReason(res receipts.ReadResult, postID string) string {
	for _, s := range res.Skipped {
		if s.PostID == postID {
			return s.Reason
		}
	}
	return ""
}

func boolPtr(b bool) *bool { return &b }
