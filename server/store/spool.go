package store

import (
	crand "crypto/rand"
	"encoding/hex"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// spoolIndex lists the spooled batches of webhook events not yet claimed.
type spoolIndex struct {
	Version int      `json:"v"`
	IDs     []string `json:"ids"`
}

// spoolBatch is webhook events that a stopping server had not delivered.
type spoolBatch struct {
	Version int                  `json:"v"`
	Events  []receipts.ReadEvent `json:"e"`
}

// SpoolReadEvents keeps events that a stopping server could not deliver, for
// the next server that starts to send.
func (s *Store) SpoolReadEvents(events []receipts.ReadEvent) error {
	raw := make([]byte, 13)
	if _, err := crand.Read(raw); err != nil {
		return errors.Wrap(err, "failed to name a webhook spool")
	}
	id := hex.EncodeToString(raw)
	if err := s.put(spoolKey(id), spoolBatch{Version: receipts.FormatVersion, Events: events}); err != nil {
		return err
	}
	_, err := update(s, keySpoolIndex, false, func(idx *spoolIndex) error {
		idx.Version = receipts.FormatVersion
		idx.IDs = append(idx.IDs, id)
		return nil
	})
	return errors.Wrap(err, "failed to list a webhook spool")
}

// ClaimSpooledReadEvents takes every spooled batch; compare-and-set on the
// index makes each batch go to one server only.
func (s *Store) ClaimSpooledReadEvents() ([]receipts.ReadEvent, error) {
	var ids []string
	_, err := update(s, keySpoolIndex, false, func(idx *spoolIndex) error {
		// A retry after losing the compare-and-set starts over: what the lost
		// attempt took belongs to the winner.
		ids = nil
		if len(idx.IDs) == 0 {
			return receipts.ErrNoChange
		}
		ids, idx.IDs = idx.IDs, nil
		return nil
	})
	if err != nil {
		return nil, errors.Wrap(err, "failed to claim webhook spools")
	}
	var out []receipts.ReadEvent
	for _, id := range ids {
		var b spoolBatch
		if _, err := s.get(spoolKey(id), &b); err != nil {
			return out, err
		}
		out = append(out, b.Events...)
		if err := s.kv.Set(spoolKey(id), nil); err != nil {
			return out, err
		}
	}
	return out, nil
}
