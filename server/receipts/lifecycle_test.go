package receipts_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// hidingKV leaves keys with a prefix out of listings, as offset paging over a
// keyspace that changes under it does to some key on a busy server.
type hidingKV struct {
	*kvtest.MemKV
	prefix string
}

func (h hidingKV) ListKeys(page, perPage int) ([]string, error) {
	keys, err := h.MemKV.ListKeys(page, perPage)
	out := keys[:0:0]
	for _, k := range keys {
		if !strings.HasPrefix(k, h.prefix) {
			out = append(out, k)
		}
	}
	return out, err
}

// serviceOn returns another Service over the env's fakes on the given KV.
func (e *env) serviceOn(kv store.KV) *receipts.Service {
	svc := receipts.New(receipts.Deps{
		Store: store.New(kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour,
	})
	e.t.Cleanup(svc.Close)
	return svc
}

// TestRetentionKeepsSnapshotsOfPostsItDidNotSee: a kept post whose key a
// scan missed still has its recipients afterwards.
func TestRetentionKeepsSnapshotsOfPostsItDidNotSee(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RetentionDays = 30 })
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p := e.post(group, alice)
	e.advance(5 * 24 * time.Hour)

	_, err := e.serviceOn(hidingKV{MemKV: e.kv, prefix: "p:"}).RunRetention()
	require.NoError(t, err)
	other := e.serviceOn(e.kv) // a server that has not cached the recipients
	res, err := other.RecordReads(bob, []string{p})
	require.NoError(t, err)
	assert.Equal(t, []string{p}, res.Recorded)
}

// TestRetentionSkipsUndecodableRecords: one broken record is counted and
// passed over; the rest of the run goes on.
func TestRetentionSkipsUndecodableRecords(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RetentionDays = 1 })
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	require.NoError(t, e.kv.Set("p:"+strings.Repeat("0", 26), []byte("{not json")))
	old := e.post(dm, alice, func(p *receipts.Post) { p.CreateAt -= 3 * 24 * 3600 * 1000 })

	rep, err := e.svc.RunRetention()
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Undecodable)
	assert.Equal(t, 1, rep.Posts)
	assert.Nil(t, e.kv.Value("p:"+old))
}

// TestCutOffDeletesLeaveNothingBehind cuts a post deletion and a retention
// run off at each of their writes in turn: the next retention run completes
// the work and leaves no chunk that nothing points to.
func TestCutOffDeletesLeaveNothingBehind(t *testing.T) {
	e, post := postWithChunks(t)
	e.setConfig(func(c *config.Config) { c.RetentionDays = 1 })
	for name, act := range map[string]func(svc *receipts.Service){
		"post deletion": func(svc *receipts.Service) { svc.PostDeleted(post) },
		"retention":     func(svc *receipts.Service) { _, _ = svc.RunRetention() },
	} {
		t.Run(name, func(t *testing.T) {
			cutEverywhere(t, e, act, func(t *testing.T, svc *receipts.Service, kv *kvtest.MemKV) {
				_, err := svc.RunRetention()
				require.NoError(t, err)
				assert.Nil(t, kv.Value("p:"+post))
			})
		})
	}
}

// postWithChunks makes, three days ago, a post with 150 reads (two full
// chunks) in a channel whose index has two full chunks.
func postWithChunks(t *testing.T) (*env, string) {
	e := newEnv(t)
	users := e.mm.addUsers(151, "user%03d")
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	e.advance(-3 * 24 * time.Hour)
	post := e.post(ch, users[0])
	for i := 0; i < 2*receipts.ChunkSize+10; i++ {
		e.post(ch, users[0])
	}
	for _, u := range users[1:] {
		require.Equal(t, []string{post}, e.read(u, post).Recorded)
	}
	e.advance(3 * 24 * time.Hour)
	require.NotNil(t, e.kv.Value("pr:"+post+":1"))
	return e, post
}

// assertNoOrphans checks that every chunk in the KV is reachable from its record.
func assertNoOrphans(t *testing.T, kv *kvtest.MemKV, msg string) {
	t.Helper()
	keys, err := kv.ListKeys(0, 1<<20)
	require.NoError(t, err)
	for _, k := range keys {
		parts := strings.Split(k, ":")
		if len(parts) != 3 || (parts[0] != "pr" && parts[0] != "cx") {
			continue
		}
		n, _ := strconv.Atoi(parts[2])
		owner := map[string]string{"pr": "p:", "cx": "ci:"}[parts[0]] + parts[1]
		var rec struct {
			First  int `json:"f"`
			Chunks int `json:"k"`
		}
		data := kv.Value(owner)
		if assert.NotNil(t, data, "%s: %s without %s", msg, k, owner) {
			require.NoError(t, json.Unmarshal(data, &rec))
			assert.True(t, n >= rec.First && n < rec.Chunks, "%s: %s outside %s's chunks %d..%d", msg, k, owner, rec.First, rec.Chunks)
		}
	}
}

// TestRetentionForgetsViewsOfChannelsNoLongerWatched: the views poller's
// state of a channel stays while the channel is watched, and goes after.
func TestRetentionForgetsViewsOfChannelsNoLongerWatched(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.mm.addUser("alice"), e.mm.addUser("bob")
	dm := e.mm.addChannel(receipts.ChannelDirect, alice, bob)
	e.post(dm, alice)
	e.mm.view(dm, bob, e.clock().UnixMilli())
	e.advance(time.Minute)
	_, err := e.svc.PollViews()
	require.NoError(t, err)
	require.NotNil(t, e.kv.Value("vs:"+dm))

	rep, err := e.svc.RunRetention()
	require.NoError(t, err)
	assert.Zero(t, rep.ViewStates)
	assert.NotNil(t, e.kv.Value("vs:"+dm), "still watched")

	e.advance((receipts.WatchDays + 1) * 24 * time.Hour)
	rep, err = e.svc.RunRetention()
	require.NoError(t, err)
	assert.Equal(t, 1, rep.ViewStates)
	assert.Nil(t, e.kv.Value("vs:"+dm))
}
