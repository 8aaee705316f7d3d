package receipts

import (
	"slices"
	"sort"
)

// FormatVersion is written into every stored record so that a later release
// can recognise and migrate old records.
const FormatVersion = 2

// ChunkSize is how many entries a record keeps inline before moving them to
// an immutable chunk. It bounds the size of the records that see contention.
const ChunkSize = 64

// PostRecord is a tracked post: what was decided when it was posted, plus its
// reads. Reads live in the same record as the reader bitmap, so that recording
// one is a single compare-and-set: it can never be lost or counted twice.
type PostRecord struct {
	Version     int    `json:"v"`
	ChannelID   string `json:"c"`
	ChannelType string `json:"ct"`
	AuthorID    string `json:"a"`
	RootID      string `json:"rt,omitempty"`
	CreateAt    int64  `json:"t"`
	// Snapshot names the shared recipient snapshot; recipients are its users
	// minus the author.
	Snapshot string `json:"s"`
	// ReadCount is the number of readers, ever.
	ReadCount int `json:"n"`
	// Readers has bit i set when the snapshot's user i has read the post.
	Readers Bitmap `json:"b"`
	// Chunks is how many full chunks of ReadEntry precede Tail.
	Chunks int `json:"k"`
	// ChunkStarts holds the read time of each chunk's first entry, so that a
	// reader page finds its chunk without loading the others.
	ChunkStarts []int64 `json:"ks,omitempty"`
	// Floor is the last entry of the last chunk: every entry in Tail sorts
	// after it. Zero before the first chunk.
	Floor ReadEntry `json:"fl,omitzero"`
	// Late holds reads older than Floor that arrived after the chunks were
	// written (views are applied a few seconds after they happen), sorted;
	// reader lists merge them into place.
	Late []ReadEntry `json:"lt,omitempty"`
	// PackedLate and PackedTail are Late and Tail as stored from format 2
	// (see packing.go); the domain sees them unpacked.
	PackedLate string `json:"lp,omitempty"`
	PackedTail string `json:"rp,omitempty"`
	// Tail holds the newest reads, sorted like all reads: by read time, then
	// user id. Chunks and Tail together are one sorted list.
	Tail []ReadEntry `json:"r,omitempty"`
	// EditedAt is when the author last edited the post (ms), 0 if never.
	EditedAt int64 `json:"e,omitempty"`
}

// Clone is a copy that shares nothing the domain changes in place.
func (r *PostRecord) Clone() *PostRecord {
	c := *r
	c.Readers = slices.Clone(r.Readers)
	c.ChunkStarts = slices.Clone(r.ChunkStarts)
	c.Late = slices.Clone(r.Late)
	c.Tail = slices.Clone(r.Tail)
	return &c
}

// ReadEntry is one read.
type ReadEntry struct {
	UserID string `json:"u"`
	At     int64  `json:"t"`
}

// Before orders reads by time, then user id.
func (e ReadEntry) Before(o ReadEntry) bool {
	if e.At != o.At {
		return e.At < o.At
	}
	return e.UserID < o.UserID
}

// addRead puts a read into the record's sorted lists, first moving a full
// Tail out to chunk k through flush. A read older than the chunks' last entry
// goes to Late; once Late is full too, it is listed just after the chunks,
// its time raised by as little as that takes, so chunks never need rewriting.
func (r *PostRecord) addRead(e ReadEntry, flush func(k int, entries []ReadEntry) error) error {
	if len(r.Tail) >= ChunkSize {
		if err := flush(r.Chunks, r.Tail); err != nil {
			return err
		}
		r.ChunkStarts = append(r.ChunkStarts, r.Tail[0].At)
		r.Floor = r.Tail[len(r.Tail)-1]
		r.Chunks++
		r.Tail = nil
	}
	if r.Chunks > 0 && !r.Floor.Before(e) {
		if len(r.Late) < ChunkSize {
			r.Late = insertSorted(r.Late, e)
			return nil
		}
		e.At = r.Floor.At
		if !r.Floor.Before(e) {
			e.At++
		}
	}
	r.Tail = insertSorted(r.Tail, e)
	return nil
}

func insertSorted(list []ReadEntry, e ReadEntry) []ReadEntry {
	i := sort.Search(len(list), func(j int) bool { return e.Before(list[j]) })
	list = append(list, ReadEntry{})
	copy(list[i+1:], list[i:])
	list[i] = e
	return list
}

// Snapshot is the set of users who could receive receipts in a channel at
// some moment (members minus bots, deactivated users and opted-out users),
// sorted by id. It is content-addressed and shared by every post that was
// created while the set was the same.
type Snapshot struct {
	Version int `json:"v"`
	// Users is the full sorted list. A stored snapshot may instead name a
	// Base (a full snapshot) and the users Added to and Removed from it, so
	// that a membership change costs what changed; snapshots in memory are
	// always full.
	Users    []string `json:"u,omitempty"`
	Base     string   `json:"b,omitempty"`
	Added    []string `json:"ad,omitempty"`
	Removed  []string `json:"rm,omitempty"`
	LastUsed int64    `json:"lu"`
}

// IndexEntry is one tracked post in a channel's index. Author and root let
// conversation-level and thread reads pass over posts without loading them
// (entries written before they existed have them empty).
type IndexEntry struct {
	PostID   string `json:"p"`
	CreateAt int64  `json:"t"`
	AuthorID string `json:"a,omitempty"`
	RootID   string `json:"rt,omitempty"`
	// IndexedAt is when the post was added to the index (0 in entries written
	// before it existed: their CreateAt stands in).
	IndexedAt int64 `json:"i,omitempty"`
}

// indexedAt is the entry's place in the index's order.
func (e IndexEntry) indexedAt() int64 {
	if e.IndexedAt == 0 {
		return e.CreateAt
	}
	return e.IndexedAt
}

// known reports whether the entry carries author and root.
func (e IndexEntry) known() bool { return e.AuthorID != "" }

// ChannelIndex lists a channel's tracked posts in the order they were tracked:
// chunks First..Chunks-1 (older ones were removed by retention), then Tail.
type ChannelIndex struct {
	Version int `json:"v"`
	// Newest is the latest creation time of any indexed post; posts may be
	// indexed out of order, so the last entry is not always the newest.
	Newest int64        `json:"n,omitempty"`
	First  int          `json:"f,omitempty"`
	Chunks int          `json:"k"`
	Tail   []IndexEntry `json:"r"`
	// Gen tells this index from one written anew under the same key (after
	// the plugin's data was wiped), whose chunks differ: servers keep chunks
	// in memory by it. Empty in indexes begun before it existed.
	Gen string `json:"g,omitempty"`
}

// ChannelSetting is a channel-level switch set by someone who manages it,
// with its recent changes, so that a post can be judged by the switch as it
// was when the post was created (a post tracked late, after a change).
type ChannelSetting struct {
	Version int    `json:"v"`
	Off     bool   `json:"off"`
	By      string `json:"by"`
	At      int64  `json:"at"`
	// History holds the last changes, oldest first, the current one last;
	// Truncated says that older ones were dropped.
	History   []ChannelChange `json:"h,omitempty"`
	Truncated bool            `json:"tr,omitempty"`
}

// ChannelChange is one change of a channel's switch.
type ChannelChange struct {
	Off bool  `json:"off"`
	At  int64 `json:"at"`
}

// maxChannelChanges bounds a channel setting's history.
const maxChannelChanges = 16

// set records a change made at time at.
func (c *ChannelSetting) set(off bool, by string, at int64) {
	if c.At != 0 && len(c.History) == 0 { // written before histories were kept
		c.History = []ChannelChange{{Off: c.Off, At: c.At}}
		c.Truncated = true
	}
	c.Version, c.Off, c.By, c.At = FormatVersion, off, by, at
	c.History = append(c.History, ChannelChange{Off: off, At: at})
	if n := len(c.History) - maxChannelChanges; n > 0 {
		c.History, c.Truncated = c.History[n:], true
	}
}

// offAt reports whether the switch was off at time t. Before every change
// it knows of, it answers on only if it knows there was none before
// (receipts are on by default); otherwise off, so that a post is never
// tracked against the wishes of whoever turned the channel off.
func (c *ChannelSetting) offAt(t int64) bool {
	if c == nil {
		return false
	}
	if t >= c.At {
		return c.Off
	}
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].At <= t {
			return c.History[i].Off
		}
	}
	return c.Truncated || len(c.History) == 0
}

// OptOuts is the set of users who stopped sending read receipts, with when,
// and when users who had stopped started sending again. One record, because a
// post's recipients are computed against all of it.
type OptOuts struct {
	Version int              `json:"v"`
	Users   map[string]int64 `json:"u"`
	// Resumed holds when each user who had stopped sending turned it back on:
	// a view made at or before that time never counts (see privacy.go).
	Resumed map[string]int64 `json:"r,omitempty"`
}

// OptOutsBasis is the opt-outs as stored when a decision was made on them,
// for the store to check that they still are (nil: there were none).
type OptOutsBasis []byte

// PostBasis is a post's record as stored when it was decoded, for the store
// to write a change to that record only while it still is.
type PostBasis []byte

// Remembered is a batch of records and the opt-outs as a server last read or
// wrote them (store.RememberedBatch): the records are the caller's to decide
// on and change; Bases and Basis are what each was decoded from.
type Remembered struct {
	Posts   map[string]*PostRecord
	Bases   map[string]PostBasis
	OptOuts *OptOuts
	Basis   OptOutsBasis
}

// Watermark records up to which time a user's reads in a channel have been
// applied, so that repeated conversation-level reads only walk new posts.
type Watermark struct {
	Version int   `json:"v"`
	Until   int64 `json:"t"`
}

// ViewState is what the views poller has applied in a channel, kept in the
// KV so that whichever server runs the next poll knows it. It is a few
// numbers whatever the channel's size: rewriting a list of every member's
// view at each change would cost hundreds of kilobytes in a big channel.
type ViewState struct {
	Version int `json:"v"`
	// Settled is the channel index size at which every member had viewed the
	// newest tracked post (0: not settled).
	Settled int `json:"s,omitempty"`
	// Applied is the channel's view digest and index size when every view
	// had been applied for good (zero: not known).
	Applied ViewMark `json:"a,omitzero"`
}

// ViewMark is a channel's view digest at an index size. While both stay
// what they were when every view had been applied, the channel costs the
// views poller nothing but its share of one summary query.
type ViewMark struct {
	Members    int   `json:"m"`
	Sum        int64 `json:"t"`
	LastPostAt int64 `json:"p"`
	Size       int   `json:"n"`
}
