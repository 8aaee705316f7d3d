package receipts

// The domain's view of the world: small interfaces, implemented by the store
// package (KV) and by the plugin's adapter to the Mattermost API.

// PostStore keeps tracked posts and their reads.
type PostStore interface {
	// Post returns the record, or nil when the post is not tracked.
	Post(postID string) (*PostRecord, error)
	// Posts returns the tracked posts among postIDs, by id, with as few
	// reads as the KV allows.
	Posts(postIDs []string) (map[string]*PostRecord, error)
	// PostsAndOptOuts is Posts and PrivacyStore.OptOuts, read together.
	PostsAndOptOuts(postIDs []string) (map[string]*PostRecord, *OptOuts, error)
	// InsertPosts stores new records of distinct posts, with one call when
	// the KV can, and returns the posts inserted (not those that already had
	// one). On an error none may be.
	InsertPosts(postIDs []string, recs []*PostRecord) (map[string]bool, error)
	// UpdatePost applies fn to the current record with compare-and-set,
	// re-reading and re-applying fn on conflict. fn returning ErrNoChange
	// stops without writing. A missing record gives ErrNotFound.
	UpdatePost(postID string, fn func(rec *PostRecord) error) (*PostRecord, error)
	// UpdatePosts is UpdatePost for each post, in as few writes as the KV
	// allows. It returns the posts' errors (none for posts written or left
	// unchanged); fn may run more than once for a post, and concurrently for
	// different posts.
	UpdatePosts(postIDs []string, fn func(postID string, rec *PostRecord) error) map[string]error
	// RememberedBatch returns the posts' records and the opt-outs as this
	// server last read or wrote them, without reading; ok is false unless it
	// remembers every one, and the KV can make UpdatePostsIf's guarded write.
	RememberedBatch(postIDs []string) (b Remembered, ok bool)
	// UpdatePostsIf applies fn to each post's record of b (in place) and
	// writes them with one compare-and-set that holds only while each record
	// is still its base and the opt-outs are still b.Basis. It tries once and
	// returns the posts written; the others are unchanged in the store
	// (changed since, fn failed or had nothing to do, or the opt-outs changed).
	UpdatePostsIf(b Remembered, postIDs []string, fn func(postID string, rec *PostRecord) error) (written map[string]bool)
	// DeletePost removes the record and its chunks.
	DeletePost(postID string) error
	// ReadChunk returns chunk k of a post's reads.
	ReadChunk(postID string, k int) (*ReadChunk, error)
	// WriteChunk stores chunk k; writing the same chunk twice is harmless.
	WriteChunk(postID string, k int, chunk *ReadChunk) error
}

// SnapshotStore keeps shared recipient snapshots.
type SnapshotStore interface {
	Snapshot(id string) (*Snapshot, error)
	// SaveSnapshot stores the snapshot if absent, or refreshes its LastUsed.
	SaveSnapshot(id string, s *Snapshot) error
}

// ChannelStore keeps per-channel state.
type ChannelStore interface {
	// NewPostState reads what the posted hook needs for a round of the
	// channel's new posts, with one call when the KV can: the channel's
	// setting (nil when never set), the opt-outs, the channel's index (nil
	// when it never had a tracked post) and each mark's watermark.
	NewPostState(channelID string, marks []Mark) (NewPostState, error)
	ChannelIndex(channelID string) (*ChannelIndex, error)
	UpdateChannelIndex(channelID string, fn func(idx *ChannelIndex) error) error
	// IndexChunk reads chunk k of the index of generation gen (see
	// ChannelIndex.Gen); the entries may be shared: callers only read them.
	IndexChunk(channelID, gen string, k int) ([]IndexEntry, error)
	WriteIndexChunk(channelID, gen string, k int, entries []IndexEntry) error
	ChannelSetting(channelID string) (*ChannelSetting, error)
	// UpdateChannelSetting applies fn with compare-and-set (a zero value when
	// there is none yet).
	UpdateChannelSetting(channelID string, fn func(s *ChannelSetting) error) error
	Watermark(channelID, userID string) (int64, error)
	// RaiseWatermark moves the watermark forward to until, never back.
	RaiseWatermark(channelID, userID string, until int64) error
}

// PrivacyStore keeps the users who stopped sending receipts.
type PrivacyStore interface {
	OptOuts() (*OptOuts, error)
	UpdateOptOuts(fn func(o *OptOuts) error) error
}

// Store is everything the domain keeps.
type Store interface {
	PostStore
	SnapshotStore
	ChannelStore
	PrivacyStore
	WatchStore
	LifecycleStore
}

// Post is what the domain needs of a Mattermost post.
type Post struct {
	ID          string
	ChannelID   string
	UserID      string
	RootID      string
	CreateAt    int64
	Type        string
	FromWebhook bool
	// ReadReceipt is the post's read_receipt prop, nil when absent.
	ReadReceipt *bool
}

// Channel is what the domain needs of a Mattermost channel.
type Channel struct {
	ID   string
	Type string
}

// Member is a user in a channel.
type Member struct {
	UserID   string
	Username string
	IsBot    bool
	Active   bool
}

// ViewDigest sums up a channel's memberships' last_viewed_at: equal digests
// mean that no member's view moved (views only move forward).
type ViewDigest struct {
	Members int
	Sum     int64
	// LastPostAt is the channel's newest post time: it moves with every post,
	// so an unchanged digest also means that nothing new can be indexed.
	LastPostAt int64
}

// View is when a member last viewed a channel.
type View struct {
	UserID       string
	LastViewedAt int64
}

// User is what reader lists show of a user.
type User struct {
	ID       string
	Username string
}

// Platform is what the domain needs of Mattermost.
type Platform interface {
	// Post returns a post, or ErrNotFound when it does not exist or is deleted.
	Post(postID string) (*Post, error)
	// Channel returns a channel, or ErrNotFound.
	Channel(channelID string) (*Channel, error)
	// CanReadChannel reports whether the user may read the channel's posts,
	// as Mattermost decides it; an error when that could not be found out.
	CanReadChannel(userID, channelID string) (bool, error)
	// CanManageChannel reports whether the user may manage the channel's roles
	// (channel, team and system admins).
	CanManageChannel(userID, channelID string) bool
	// IsMember reports whether the user is a member of the channel.
	IsMember(userID, channelID string) (bool, error)
	// Members lists the channel's members, bots and deactivated users included.
	Members(channelID string) ([]Member, error)
	// MemberCount is the channel's member count as Mattermost shows it.
	MemberCount(channelID string) (int, error)
	// ChannelViews returns when each member of the channel last viewed it.
	ChannelViews(channelID string) ([]View, error)
	// ViewDigests sums up the members' views of each channel cheaply, so
	// that a poll can pass over channels where no view moved. ok is false
	// when the platform cannot (then every channel is looked at).
	ViewDigests(channelIDs []string) (digests map[string]ViewDigest, ok bool, err error)
	// ViewsTotal is one digest of all the channels together (one row, where
	// ViewDigests gives one per channel); ok as for ViewDigests.
	ViewsTotal(channelIDs []string) (total ViewDigest, ok bool, err error)
	// Users returns the users that exist among ids.
	Users(ids []string) ([]User, error)
	// PostsSince returns the channel's posts created or changed since the
	// time (ms), deleted ones and those of the user except (when set) left out.
	PostsSince(channelID string, since int64, except string) ([]Post, error)
}

// Publisher sends websocket events.
type Publisher interface {
	ToUser(event string, payload map[string]any, userID string)
	ToChannel(event string, payload map[string]any, channelID string)
	ToAll(event string, payload map[string]any)
}

// Cluster tells the plugin on the other servers of a cluster what changed,
// so that they drop what they cached of it (Mattermost's plugin cluster
// events; an unlicensed server forms no cluster and delivers none).
type Cluster interface {
	Broadcast(kind, id string)
}

// Logger is a structured logger.
type Logger interface {
	Debug(msg string, keyValuePairs ...any)
	Info(msg string, keyValuePairs ...any)
	Warn(msg string, keyValuePairs ...any)
	Error(msg string, keyValuePairs ...any)
}

// WatchStore keeps the channels whose views are polled.
type WatchStore interface {
	// Watch records that the channel had a tracked post at time at, and
	// forgets channels whose last one is before dropBefore.
	Watch(channelID string, at, dropBefore int64) error
	// Watched lists channels with a tracked post at or after since, by id.
	Watched(since int64) ([]WatchedChannel, error)
	// ViewState returns what the views poller applied in a channel (empty
	// when nothing yet).
	ViewState(channelID string) (*ViewState, error)
	// UpdateViewState applies fn to it with compare-and-set.
	UpdateViewState(channelID string, fn func(*ViewState) error) error
}

// Kinds of stored records that retention walks over.
const (
	RecordPost         = "post"
	RecordSnapshot     = "snapshot"
	RecordChannelIndex = "channel_index"
	RecordWatermark    = "watermark"
	RecordReadChunk    = "read_chunk"
	RecordIndexChunk   = "index_chunk"
	RecordViewState    = "view_state"
)

// WatchedChannel is a channel whose views are polled, with the last time a
// tracked post there was noted (at most an hour late).
type WatchedChannel struct {
	ID string
	At int64
}

// LifecycleStore lets retention walk over and delete old data.
type LifecycleStore interface {
	// Scan calls fn with the kind and id of posts, read chunks, snapshots,
	// channel indexes, index chunks and watermarks (a watermark's id is
	// "<channel>:<user>", a chunk's "<post or channel>:<k>"). It may miss
	// records that others create or delete meanwhile.
	Scan(fn func(kind, id string) error) error
	// DeleteOrphanReadChunk removes a read chunk that its post no longer
	// reaches (the post is gone, or the chunk is past its chunks).
	DeleteOrphanReadChunk(id string) (bool, error)
	// DeleteOrphanIndexChunk removes an index chunk that its channel index
	// no longer reaches (trimmed, or past its chunks).
	DeleteOrphanIndexChunk(id string) (bool, error)
	// DeleteViewState removes what the views poller kept of a channel.
	DeleteViewState(channelID string) error
	// DeleteWatermarkBefore removes a watermark that is older than cutoff.
	DeleteWatermarkBefore(id string, cutoff int64) (bool, error)
	// DeleteIndexChunk removes chunk k of a channel's index.
	DeleteIndexChunk(channelID string, k int) error
	// DeleteSnapshotIfUnused removes a snapshot last used before the given
	// time, atomically, so that a snapshot reused meanwhile survives.
	DeleteSnapshotIfUnused(id string, before int64) (bool, error)
}

// NewPostState is what the posted hook reads before it works.
type NewPostState struct {
	Setting *ChannelSetting
	OptOuts *OptOuts
	Index   *ChannelIndex
	// Watermarks are the marks' times, in their order.
	Watermarks []int64
}

// Mark names a user's watermark under markID: a channel, or a thread root.
type Mark struct {
	MarkID, UserID string
}
