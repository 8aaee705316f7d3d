package receipts_test

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/store"
)

// holdingKV holds the first batch read after hold() until release, and
// counts the compare-and-sets of the channel index and the records inserted
// one at a time.
type holdingKV struct {
	*kvtest.MemKV
	armed, held   atomic.Bool
	started       chan struct{}
	release       chan struct{}
	indexWrites   atomic.Int32
	recordInserts atomic.Int32 // one at a time
}

func (k *holdingKV) hold() {
	k.started, k.release = make(chan struct{}), make(chan struct{})
	k.armed.Store(true)
}

func (k *holdingKV) GetMany(keys []string, guesses [][]byte) (map[string][]byte, bool, error) {
	if k.armed.Load() && k.held.CompareAndSwap(false, true) {
		close(k.started)
		<-k.release
	}
	return k.MemKV.GetMany(keys, guesses)
}

func (k *holdingKV) CompareAndSet(key string, old, value []byte) (bool, error) {
	if strings.HasPrefix(key, "ci:") {
		k.indexWrites.Add(1)
	}
	if strings.HasPrefix(key, "p:") && old == nil {
		k.recordInserts.Add(1)
	}
	return k.MemKV.CompareAndSet(key, old, value)
}

// channelCounting counts the channel lookups.
type channelCounting struct {
	*fakePlatform
	lookups atomic.Int32
}

func (p *channelCounting) Channel(channelID string) (*receipts.Channel, error) {
	p.lookups.Add(1)
	return p.fakePlatform.Channel(channelID)
}

// TestPostsOfAChannelAtOnceShareARound: the posted hooks of one channel that
// run while another is under way go together in the next round: one look
// at the channel and one index update for all of them, and every post is
// tracked and read by nobody but its recipients.
func TestPostsOfAChannelAtOnceShareARound(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(4, "u%d")
	ch := e.mm.addChannel(receipts.ChannelGroup, users...)
	kv := &holdingKV{MemKV: e.kv}
	mm := &channelCounting{fakePlatform: e.mm}
	svc := receipts.New(receipts.Deps{
		Store: store.New(kv), Platform: mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour,
	})
	t.Cleanup(svc.Close)
	newPost := func(author string) receipts.Post {
		p := receipts.Post{ID: newID(), ChannelID: ch, UserID: author, CreateAt: e.clock().UnixMilli()}
		e.mm.addPost(p)
		return p
	}
	svc.PostCreated(newPost(users[0])) // the channel's first post: its index exists from here on
	kv.hold()
	mm.lookups.Store(0)
	kv.indexWrites.Store(0)
	kv.recordInserts.Store(0)

	first := newPost(users[0])
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); svc.PostCreated(first) }()
	<-kv.started
	var posts []string
	for i := range 10 {
		p := newPost(users[i%2])
		posts = append(posts, p.ID)
		wg.Add(1)
		go func() { defer wg.Done(); svc.PostCreated(p) }()
	}
	time.Sleep(100 * time.Millisecond) // let them queue behind the first hook
	close(kv.release)
	wg.Wait()

	assert.LessOrEqual(t, mm.lookups.Load(), int32(3), "channel lookups for 11 posts")
	assert.LessOrEqual(t, kv.indexWrites.Load(), int32(3), "index updates for 11 posts")
	assert.LessOrEqual(t, kv.recordInserts.Load(), int32(1), "records inserted one at a time (the others together)")
	res, err := svc.QueryReceipts(users[0], append(posts, first.ID))
	require.NoError(t, err)
	assert.Len(t, res.Receipts, 6, "users[0]'s six posts are tracked")
	for _, r := range res.Receipts {
		assert.Equal(t, 3, r.UnreadCount+r.ReadCount, r.PostID)
	}
	read, err := svc.RecordReads(users[2], append(posts, first.ID))
	require.NoError(t, err)
	assert.Len(t, read.Recorded, 11, "every post of the round is tracked")
}

// failingInsertsKV is holdingKV whose batch inserts fail, without effect.
type failingInsertsKV struct{ *holdingKV }

func (k failingInsertsKV) InsertMany([]string, [][]byte) (map[string]bool, bool, error) {
	return nil, true, kvtest.ErrInjected
}

// TestARoundWhoseInsertFailsIsTrackedByTheNextRead: a round indexes its
// posts, then fails to insert their records (one statement: none is
// written). Nothing is half-written that a read trips on: the first read of
// each post tracks it then, and it counts.
func TestARoundWhoseInsertFailsIsTrackedByTheNextRead(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(3, "u%d")
	ch := e.mm.addChannel(receipts.ChannelGroup, users...)
	kv := failingInsertsKV{&holdingKV{MemKV: e.kv}}
	svc := receipts.New(receipts.Deps{
		Store: store.New(kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour,
	})
	t.Cleanup(svc.Close)
	post := func() receipts.Post {
		p := receipts.Post{ID: newID(), ChannelID: ch, UserID: users[0], CreateAt: e.clock().UnixMilli()}
		e.mm.addPost(p)
		return p
	}
	svc.PostCreated(post())
	kv.hold()
	first := post()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); svc.PostCreated(first) }()
	<-kv.started
	var posts []string
	for range 5 {
		p := post()
		posts = append(posts, p.ID)
		wg.Add(1)
		go func() { defer wg.Done(); svc.PostCreated(p) }()
	}
	time.Sleep(100 * time.Millisecond)
	close(kv.release)
	wg.Wait()

	unrecorded := 0
	for _, id := range posts {
		if e.kv.Value("p:"+id) == nil {
			unrecorded++
		}
	}
	assert.GreaterOrEqual(t, unrecorded, 2, "a round of several posts failed to insert, and wrote no record")
	read, err := e.svc.RecordReads(users[1], posts)
	require.NoError(t, err)
	assert.ElementsMatch(t, posts, read.Recorded, "each post is tracked by its first read")
	res, err := e.svc.QueryReceipts(users[0], posts)
	require.NoError(t, err)
	for _, r := range res.Receipts {
		assert.Equal(t, 1, r.ReadCount, r.PostID)
		assert.Equal(t, 1, r.UnreadCount, r.PostID)
	}
	assert.Len(t, res.Receipts, len(posts))
}

// TestARoundReadsWhatCameBeforeItsPosts: the authors of a round have read
// what came before their posts, in the channel and in a thread, once each.
func TestARoundReadsWhatCameBeforeItsPosts(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(3, "u%d")
	ch := e.mm.addChannel(receipts.ChannelGroup, users...)
	kv := &holdingKV{MemKV: e.kv}
	svc := receipts.New(receipts.Deps{
		Store: store.New(kv), Platform: e.mm, Publisher: e.pub, Logger: nopLogger{},
		Config: e.config, Secret: []byte("test-secret"), Now: e.clock, NotifyInterval: time.Hour,
	})
	t.Cleanup(svc.Close)
	post := func(author, root string) receipts.Post {
		e.advance(time.Second)
		p := receipts.Post{ID: newID(), ChannelID: ch, UserID: author, RootID: root, CreateAt: e.clock().UnixMilli()}
		e.mm.addPost(p)
		return p
	}
	byOther := post(users[1], "")
	svc.PostCreated(byOther)
	reply := post(users[1], byOther.ID)
	svc.PostCreated(reply)
	kv.hold()
	first := post(users[2], "")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); svc.PostCreated(first) }()
	<-kv.started
	round := []receipts.Post{post(users[0], ""), post(users[0], ""), post(users[0], byOther.ID)}
	for _, p := range round {
		wg.Add(1)
		go func() { defer wg.Done(); svc.PostCreated(p) }()
	}
	time.Sleep(100 * time.Millisecond)
	close(kv.release)
	wg.Wait()

	res, err := svc.QueryReceipts(users[1], []string{byOther.ID, reply.ID})
	require.NoError(t, err)
	require.Len(t, res.Receipts, 2)
	for _, r := range res.Receipts {
		assert.Equal(t, 2, r.ReadCount, "%s: read by users[2]'s post and by users[0]'s round", r.PostID)
	}
	page, err := svc.Readers(users[1], byOther.ID, receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: 10})
	require.NoError(t, err)
	require.Len(t, page.Users, 2)
	for _, u := range page.Users {
		if u.UserID == users[0] { // at one of the round's posts: they came within the round
			assert.GreaterOrEqual(t, u.ReadAt, round[0].CreateAt)
			assert.LessOrEqual(t, u.ReadAt, round[2].CreateAt)
		}
	}
}
