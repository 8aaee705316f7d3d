package store

import (
	"bytes"
	"encoding/json"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

const scanPageSize = 1000

// Scan implements receipts.LifecycleStore. It collects the keys first, so
// that deletions during the walk do not shift the pages.
func (s *Store) Scan(fn func(kind, id string) error) error {
	var found [][2]string
	for page := 0; ; page++ {
		keys, err := s.kv.ListKeys(page, scanPageSize)
		if err != nil {
			return err
		}
		for _, k := range keys {
			prefix, id := parseKey(k)
			switch prefix {
			case prefixPost:
				found = append(found, [2]string{receipts.RecordPost, id})
			case prefixSnapshot:
				found = append(found, [2]string{receipts.RecordSnapshot, id})
			case prefixChannelIndex:
				found = append(found, [2]string{receipts.RecordChannelIndex, id})
			case prefixWatermark:
				found = append(found, [2]string{receipts.RecordWatermark, id})
			}
		}
		if len(keys) < scanPageSize {
			break
		}
	}
	for _, f := range found {
		if err := fn(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSnapshotIfUnused implements receipts.LifecycleStore.
func (s *Store) DeleteSnapshotIfUnused(id string, before int64) (bool, error) {
	key := snapshotKey(id)
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		return false, err
	}
	var snap receipts.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return false, errors.Wrapf(err, "failed to decode %s", key)
	}
	if snap.LastUsed >= before {
		return false, nil
	}
	return s.kv.CompareAndSet(key, bytes.Clone(data), nil)
}

// DeleteWatermarkBefore implements receipts.LifecycleStore. The delete is a
// compare-and-set, so a watermark raised meanwhile survives.
func (s *Store) DeleteWatermarkBefore(id string, cutoff int64) (bool, error) {
	key := join(prefixWatermark, id)
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		return false, err
	}
	var w receipts.Watermark
	if err := json.Unmarshal(data, &w); err != nil {
		return false, errors.Wrapf(err, "failed to decode %s", key)
	}
	if w.Until >= cutoff {
		return false, nil
	}
	return s.kv.CompareAndSet(key, data, nil)
}
