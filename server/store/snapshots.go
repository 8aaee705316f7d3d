package store

import (
	"encoding/base64"
	"encoding/binary"
	"slices"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// storedSnapshot is a receipts.Snapshot as stored: its users as numbers
// (numbers.go). Snapshots written before the numbering list ids (u, ad, rm)
// and are read as they are.
type storedSnapshot struct {
	Version  int      `json:"v"`
	Numbers  string   `json:"n,omitempty"`
	Base     string   `json:"b,omitempty"`
	AddedN   string   `json:"an,omitempty"`
	RemovedN string   `json:"rn,omitempty"`
	LastUsed int64    `json:"lu"`
	Users    []string `json:"u,omitempty"`
	Added    []string `json:"ad,omitempty"`
	Removed  []string `json:"rm,omitempty"`
}

// Snapshot implements receipts.SnapshotStore.
func (s *Store) Snapshot(id string) (*receipts.Snapshot, error) {
	var st storedSnapshot
	ok, err := s.get(snapshotKey(id), &st)
	if !ok || err != nil {
		return nil, err
	}
	snap := &receipts.Snapshot{Version: st.Version, Base: st.Base, LastUsed: st.LastUsed,
		Users: st.Users, Added: st.Added, Removed: st.Removed}
	for _, f := range []struct {
		packed string
		dst    *[]string
	}{{st.Numbers, &snap.Users}, {st.AddedN, &snap.Added}, {st.RemovedN, &snap.Removed}} {
		if f.packed == "" {
			continue
		}
		if *f.dst, err = s.unpackUsers(f.packed); err != nil {
			return nil, errors.Wrapf(err, "failed to decode snapshot %s", id)
		}
	}
	return snap, nil
}

// SaveSnapshot implements receipts.SnapshotStore. Snapshots are
// content-addressed, so overwriting only refreshes LastUsed.
func (s *Store) SaveSnapshot(id string, snap *receipts.Snapshot) error {
	st := storedSnapshot{Version: snap.Version, Base: snap.Base, LastUsed: snap.LastUsed}
	var err error
	if st.Numbers, err = s.packUsers(snap.Users); err != nil {
		return err
	}
	if st.AddedN, err = s.packUsers(snap.Added); err != nil {
		return err
	}
	if st.RemovedN, err = s.packUsers(snap.Removed); err != nil {
		return err
	}
	return s.put(snapshotKey(id), st)
}

// packUsers encodes users as their numbers, sorted, each as the varint gap
// from the one before: one byte per user when numbers are close, as a
// channel's members mostly are.
func (s *Store) packUsers(ids []string) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	for _, id := range ids {
		if !receipts.IsValidID(id) {
			return "", errors.Errorf("cannot number user %q: not an id", id)
		}
	}
	nums, err := s.numbers.numbers(ids)
	if err != nil {
		return "", errors.Wrap(err, "failed to number the snapshot's users")
	}
	slices.Sort(nums)
	buf := make([]byte, 0, 2*len(nums))
	prev := uint32(0)
	for _, n := range nums {
		buf = binary.AppendUvarint(buf, uint64(n-prev))
		prev = n
	}
	return base64.RawStdEncoding.EncodeToString(buf), nil
}

// unpackUsers is the sorted ids packUsers encoded.
func (s *Store) unpackUsers(packed string) ([]string, error) {
	buf, err := base64.RawStdEncoding.DecodeString(packed)
	if err != nil {
		return nil, errors.Wrap(receipts.ErrUndecodable, err.Error())
	}
	var nums []uint32
	prev := uint64(0)
	for len(buf) > 0 {
		d, n := binary.Uvarint(buf)
		if n <= 0 || prev+d > 1<<32-1 {
			return nil, errors.Wrap(receipts.ErrUndecodable, "bad user number")
		}
		prev += d
		nums = append(nums, uint32(prev))
		buf = buf[n:]
	}
	ids, err := s.numbers.users(nums)
	if err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}
