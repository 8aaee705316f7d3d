package receipts

import (
	"slices"

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

// storeSnapshot writes a new snapshot of a channel: as a delta from the base
// of the channel's previous snapshot when that is small, else in full. It
// keeps the base's last use fresh, since retention judges each by its own.
func (s *Service) storeSnapshot(channelID, id string, snap *Snapshot) error {
	stored := snap
	if base := s.snapshotBase(channelID); base != nil {
		added, removed := diffSorted(base.snap.Users, snap.Users)
		if len(added)+len(removed) <= max(deltaMinimum, len(base.snap.Users)/8) {
			stored = &Snapshot{Version: FormatVersion, Base: base.id, Added: added, Removed: removed, LastUsed: snap.LastUsed}
			if err := s.refreshSnapshot(base.id, base.snap, snap.LastUsed); err != nil {
				return err
			}
		}
	}
	if err := s.store.SaveSnapshot(id, stored); err != nil {
		return errors.Wrap(err, "failed to store recipient snapshot")
	}
	s.snapshots.setLatest(channelID, id, stored.Base)
	return nil
}

// refreshSnapshot rewrites a full snapshot's last use when it is a day old.
func (s *Service) refreshSnapshot(id string, snap *Snapshot, now int64) error {
	if now-snap.LastUsed < snapshotRefreshMillis {
		return nil
	}
	fresh := &Snapshot{Version: FormatVersion, Users: snap.Users, LastUsed: now}
	if err := s.store.SaveSnapshot(id, fresh); err != nil {
		return errors.Wrap(err, "failed to refresh recipient snapshot")
	}
	s.snapshots.put(id, fresh)
	return nil
}

type namedSnapshot struct {
	id   string
	snap *Snapshot
}

// snapshotBase is the full snapshot the channel's last snapshot written by
// this server is, or is based on; nil when there is none (a new base).
func (s *Service) snapshotBase(channelID string) *namedSnapshot {
	id, ok := s.snapshots.baseOf(channelID)
	if !ok {
		return nil
	}
	snap, err := s.snapshot(id)
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
