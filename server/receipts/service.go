package receipts

import (
	"sync"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/rounds"
)

// Service is the receipt engine: a facade that api/, command/ and the plugin
// call. Each job is its own type holding only what it uses; Service keeps the
// settings, the membership hooks and the background tasks, and delegates the
// rest. It is safe for concurrent use.
type Service struct {
	store  Store
	mm     Platform
	pub    Publisher
	log    Logger
	config func() config.Config
	now    func() time.Time

	snapshots   *recipientSnapshots
	members     *memberSets
	notifier    *notifier
	postLocks   stripedLocks
	retention   *retention
	tracker     *tracker
	recorder    *recorder
	views       *viewsPoller
	queries     *queries
	readerLists *readerLists
	ownPosts    *ownPosts
	tasks       sync.WaitGroup
}

// Deps are the Service's collaborators.
type Deps struct {
	Store     Store
	Platform  Platform
	Publisher Publisher
	// Cluster reaches the other servers; nil when there are none.
	Cluster Cluster
	Logger  Logger
	Config  func() config.Config
	// Secret signs reader-list cursors; it must be the same on every server.
	Secret []byte
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NotifyInterval is the shortest time between two events for one post;
	// zero means one second.
	NotifyInterval time.Duration
	// ReadEvents receives recorded reads for the webhook; nil sends none.
	ReadEvents ReadEvents
}

// New builds a Service and the jobs behind it.
func New(d Deps) *Service {
	s := &Service{store: d.Store, mm: d.Platform, pub: d.Publisher, log: d.Logger, config: d.Config, now: d.Now}
	if s.now == nil {
		s.now = time.Now
	}
	peers := d.Cluster
	if peers == nil {
		peers = noCluster{}
	}
	s.snapshots = &recipientSnapshots{store: s.store, cache: newSnapshotCache(1024)}
	grants := newAccessGrants(s.now)
	s.members = &memberSets{lister: s.mm, peers: peers, log: s.log, now: s.now, background: s.background,
		cache: newMemberCache(), grants: grants}
	records := &postRecords{store: s.store, snapshot: s.snapshots.load, log: s.log}
	counts := &counter{records: records, snapshot: s.snapshots.load, present: s.members.presentSet, absent: newAbsentees()}
	s.notifier = newNotifier(notifyInterval(d), (&receiptEvents{store: s.store, mm: s.mm, pub: s.pub,
		config: s.config, log: s.log, records: records, counts: counts}).publish)
	s.retention = &retention{store: s.store, config: s.config, now: s.nowMillis, log: s.log}
	s.tracker = &tracker{store: s.store, mm: s.mm, config: s.config, now: s.nowMillis, log: s.log,
		records: records, snapshots: s.snapshots, present: s.members.present,
		watching: &watchList{store: s.store, log: s.log, now: s.nowMillis},
		rounds:   rounds.Keyed[Post]{Gather: func() { time.Sleep(roundGather) }}}
	visible := &postVisibility{records: records, posts: s.mm, expired: s.retention.expired, trackLate: s.tracker.trackLate,
		grants: grants}
	s.recorder = newRecorder(s, d, records, visible)
	s.tracker.readBefore = s.recorder.readBeforeCaughtUp
	s.views = &viewsPoller{store: s.store, mm: s.mm, config: s.config, now: s.nowMillis, log: s.log,
		state: newViewState(), trackRecent: s.tracker.trackRecent, readConversation: s.recorder.readConversationIn}
	s.queries = &queries{store: s.store, mm: s.mm, config: s.config, log: s.log, records: records,
		visible: visible, counts: counts}
	s.readerLists = &readerLists{store: s.store, mm: s.mm, config: s.config, records: records, visible: visible,
		counts: counts, snapshot: s.snapshots.load, present: s.members.present, cursors: cursorCodec{secret: d.Secret}}
	s.ownPosts = &ownPosts{store: s.store, mm: s.mm, records: records}
	return s
}

// notifyInterval is the shortest time between two events for one post.
func notifyInterval(d Deps) time.Duration {
	if d.NotifyInterval <= 0 {
		return time.Second
	}
	return d.NotifyInterval
}

// newRecorder builds the recorder, with its own group commit.
func newRecorder(s *Service, d Deps, records *postRecords, visible *postVisibility) *recorder {
	commits := &committer{update: records.updatePosts, updateIf: records.updatePostsIf, writeChunk: records.writeChunk, recorded: s.notifier.touch,
		background: s.background}
	return &recorder{store: s.store, mm: s.mm, config: s.config, now: s.nowMillis, log: s.log,
		records: records, commits: commits, visible: visible, snapshot: s.snapshots.load,
		expired: s.retention.expired, feed: readFeed{events: d.ReadEvents, config: d.Config},
		trackLate: s.tracker.trackLate, trackRecent: s.tracker.trackRecent}
}

type noCluster struct{}

func (noCluster) Broadcast(string, string) {}

// Close stops pending notifications and waits for background tasks.
func (s *Service) Close() {
	s.notifier.stop()
	s.tasks.Wait()
}

// background runs a task that no request waits for.
func (s *Service) background(task func()) {
	s.tasks.Add(1)
	go func() {
		defer s.tasks.Done()
		task()
	}()
}

func (s *Service) nowMillis() int64 { return s.now().UnixMilli() }

// stripedLocks serialises writers of the same post within one server, so
// that compare-and-set conflicts only happen between servers.
type stripedLocks struct {
	locks [64]sync.Mutex
}

func (l *stripedLocks) lock(key string) func() {
	m := &l.locks[hash(key)%uint32(len(l.locks))]
	m.Lock()
	return m.Unlock
}

// hash is FNV-1a, to spread keys over the lock stripes.
func hash(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}
