package store

import (
	"strconv"
	"time"

	"github.com/pkg/errors"
)

// usageTTLSeconds keeps a window's total a little longer than any window
// lasts, then lets the KV drop it.
const usageTTLSeconds = 120

// AddUsage adds cost to the user's total for a rate-limit window, shared by
// every server, and returns the new total (the API's UsageCounter).
func (s *Store) AddUsage(userID string, window int64, cost int) (int, error) {
	key := usageKey(userID, window)
	for attempt := 0; attempt < s.attempts; attempt++ {
		old, err := s.kv.Get(key)
		if err != nil {
			return 0, err
		}
		total := 0
		if old != nil {
			if total, err = strconv.Atoi(string(old)); err != nil {
				return 0, errors.Wrapf(err, "failed to decode %s", key)
			}
		}
		total += cost
		ok, err := s.kv.CompareAndSetWithExpiry(key, old, []byte(strconv.Itoa(total)), usageTTLSeconds)
		if err != nil {
			return 0, err
		}
		if ok {
			return total, nil
		}
		time.Sleep(backoff(attempt))
	}
	return 0, errors.Wrapf(ErrConflict, "failed to update %s", key)
}
