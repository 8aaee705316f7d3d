package receipts

import (
	"slices"
	"sync"

	"github.com/pkg/errors"
)

// Recipient snapshots are content-addressed. A channel's next snapshot is
// stored as a delta from a full one (the base) while the change is small, so
// a join or leave in a 10,000-member channel writes a few ids, not 10,000;
// once the changes add up to more than an eighth of the base, a new full
// snapshot becomes the base. A delta's base is always full: loading any
// snapshot takes at most two reads, then it is in memory.

// deltaMinimum is how many changes a delta may always hold.
const deltaMinimum = 32

// applyTo returns the full snapshot a delta describes.
func (d *Snapshot) applyTo(base *Snapshot) *Snapshot {
	removed := make(map[string]bool, len(d.Removed))
	for _, u := range d.Removed {
		removed[u] = true
	}
	users := make([]string, 0, len(base.Users)+len(d.Added))
	for _, u := range base.Users {
		if !removed[u] {
			users = append(users, u)
		}
	}
	users = append(users, d.Added...)
	slices.Sort(users)
	return &Snapshot{Version: d.Version, Users: slices.Compact(users), LastUsed: d.LastUsed}
}

// recipientSnapshots loads and stores recipient snapshots, through the
// in-memory cache.
type recipientSnapshots struct {
	store SnapshotStore
	cache *snapshotCache
}

// cached returns a snapshot from memory only.
func (s *recipientSnapshots) cached(id string) (*Snapshot, bool) {
	return s.cache.get(id)
}

// save writes a new snapshot of a channel: as a delta from the base of the
// channel's previous snapshot when that is small, else in full. It keeps the
// base's last use fresh, since retention judges each by its own. The new
// snapshot is then kept in memory.
func (s *recipientSnapshots) save(channelID, id string, snap *Snapshot) error {
	stored := snap
	if base := s.base(channelID); base != nil {
		added, removed := diffSorted(base.snap.Users, snap.Users)
		if len(added)+len(removed) <= max(deltaMinimum, len(base.snap.Users)/8) {
			stored = &Snapshot{Version: FormatVersion, Base: base.id, Added: added, Removed: removed, LastUsed: snap.LastUsed}
			if err := s.refresh(base.id, base.snap, snap.LastUsed); err != nil {
				return err
			}
		}
	}
	if err := s.store.SaveSnapshot(id, stored); err != nil {
		return errors.Wrap(err, "failed to store recipient snapshot")
	}
	s.cache.setLatest(channelID, id, stored.Base)
	s.cache.put(id, snap)
	return nil
}

// refresh rewrites a full snapshot's last use when it is a day old.
func (s *recipientSnapshots) refresh(id string, snap *Snapshot, now int64) error {
	if now-snap.LastUsed < snapshotRefreshMillis {
		return nil
	}
	fresh := &Snapshot{Version: FormatVersion, Users: snap.Users, LastUsed: now}
	if err := s.store.SaveSnapshot(id, fresh); err != nil {
		return errors.Wrap(err, "failed to refresh recipient snapshot")
	}
	s.cache.put(id, fresh)
	return nil
}

type namedSnapshot struct {
	id   string
	snap *Snapshot
}

// base is the full snapshot the channel's last snapshot written by this
// server is, or is based on; nil when there is none (a new base).
func (s *recipientSnapshots) base(channelID string) *namedSnapshot {
	id, ok := s.cache.baseOf(channelID)
	if !ok {
		return nil
	}
	snap, err := s.load(id)
	if err != nil {
		return nil // written in full then
	}
	return &namedSnapshot{id: id, snap: snap}
}

// diffSorted returns what is in b and not in a, and in a and not in b.
func diffSorted(a, b []string) (added, removed []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			removed = append(removed, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			added = append(added, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return added, removed
}

// snapshotCache keeps immutable snapshots in memory, evicting the oldest.
type snapshotCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*Snapshot
	order []string
	// bases names, per channel, the full snapshot that the channel's latest
	// snapshot written here is (or is a delta from).
	bases map[string]string
}

func newSnapshotCache(max int) *snapshotCache {
	return &snapshotCache{max: max, items: map[string]*Snapshot{}, bases: map[string]string{}}
}

// setLatest notes the channel's latest snapshot and its base ("" if full).
func (c *snapshotCache) setLatest(channelID, id, base string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.bases) >= 10*c.max {
		c.bases = map[string]string{} // channels start new bases; nothing is lost
	}
	if base == "" {
		base = id
	}
	c.bases[channelID] = base
}

func (c *snapshotCache) baseOf(channelID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.bases[channelID]
	return id, ok
}

func (c *snapshotCache) get(id string) (*Snapshot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.items[id]
	return s, ok
}

func (c *snapshotCache) put(id string, s *Snapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[id]; ok {
		c.items[id] = s
		return
	}
	if len(c.order) >= c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.items[id] = s
	c.order = append(c.order, id)
}

// load returns a snapshot from memory or the store.
func (s *recipientSnapshots) load(id string) (*Snapshot, error) {
	if snap, ok := s.cache.get(id); ok {
		return snap, nil
	}
	snap, err := s.store.Snapshot(id)
	if err != nil {
		return nil, errors.Wrap(err, "failed to load recipient snapshot")
	}
	if snap == nil {
		return nil, errors.Errorf("recipient snapshot %s is missing", id)
	}
	if snap.Base != "" {
		base, err := s.load(snap.Base)
		if err != nil {
			return nil, err
		}
		snap = snap.applyTo(base)
	}
	s.cache.put(id, snap)
	return snap, nil
}
