package receipts

import (
	"sync"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// Service is the receipt engine. It is safe for concurrent use.
type Service struct {
	store  Store
	mm     Platform
	pub    Publisher
	peers  Cluster
	log    Logger
	config func() config.Config
	now    func() time.Time

	secret    []byte
	snapshots *recipientSnapshots
	members   *memberSets
	notifier  *notifier
	postLocks stripedLocks
	commits   *committer
	records   *postRecords
	retention *retention
	visible   *postVisibility
	views     *viewsPoller
	tracker   *tracker
	recorder  *recorder
	feed      readFeed
	tasks     sync.WaitGroup
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

// New builds a Service.
func New(d Deps) *Service {
	s := &Service{
		store:  d.Store,
		mm:     d.Platform,
		pub:    d.Publisher,
		peers:  d.Cluster,
		log:    d.Logger,
		config: d.Config,
		now:    d.Now,
		secret: d.Secret,
		feed:   readFeed{events: d.ReadEvents, config: d.Config},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.peers == nil {
		s.peers = noCluster{}
	}
	s.snapshots = &recipientSnapshots{store: s.store, cache: newSnapshotCache(1024)}
	s.members = &memberSets{lister: s.mm, peers: s.peers, log: s.log, now: s.now, background: s.background,
		cache: newMemberCache()}
	interval := d.NotifyInterval
	if interval <= 0 {
		interval = time.Second
	}
	s.notifier = newNotifier(interval, s.publishReceipts)
	s.retention = &retention{store: s.store, config: s.config, now: s.nowMillis, log: s.log}
	s.records = &postRecords{store: s.store, snapshot: s.snapshots.load, log: s.log}
	s.commits = &committer{update: s.records.updatePosts, writeChunk: s.records.writeChunk, recorded: s.notifier.touch,
		background: s.background}
	s.tracker = &tracker{store: s.store, mm: s.mm, config: s.config, now: s.nowMillis, log: s.log,
		records: s.records, snapshots: s.snapshots, present: s.members.present,
		watching: &watchList{store: s.store, log: s.log, now: s.nowMillis}}
	s.visible = &postVisibility{records: s.records, posts: s.mm, expired: s.retention.expired, trackLate: s.tracker.trackLate}
	s.recorder = &recorder{store: s.store, mm: s.mm, config: s.config, now: s.nowMillis, log: s.log,
		records: s.records, commits: s.commits, visible: s.visible, snapshot: s.snapshots.load,
		expired: s.retention.expired, feed: s.feed, trackLate: s.tracker.trackLate, trackRecent: s.tracker.trackRecent}
	s.tracker.readBefore = s.recorder.readBeforeWith
	s.views = &viewsPoller{store: s.store, mm: s.mm, config: s.config, now: s.nowMillis, log: s.log,
		state: newViewState(), trackRecent: s.tracker.trackRecent, readConversation: s.recorder.readConversationIn}
	return s
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
