package store

import (
	crand "crypto/rand"
	"encoding/json"
	"math/rand/v2"
	"time"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// Retry budget for compare-and-set. Fifty readers of one post on several
// servers settle in far fewer tries; the budget is for bursts well beyond that.
const (
	maxAttempts = 200
	maxBackoff  = 50 * time.Millisecond
)

// ErrConflict is returned when compare-and-set kept losing for the whole
// budget: the domain's ErrBusy, answered 503 with Retry-After.
var ErrConflict = receipts.ErrBusy

// Store implements the receipts store interfaces on a KV.
type Store struct {
	kv       KV
	attempts int
	// recent remembers the values of hot keys (post records, channel
	// indexes, watermarks) last read or written here, so that changing one
	// right after reading it needs no second read.
	recent *recentValues
	// decoded remembers the post records decoded last (decoded.go).
	decoded decodedPosts
	// chunks keeps index chunks, which never change (chunks.go).
	chunks chunkMemo
	// reads combines concurrent batch reads.
	reads batchReads
	// numbers is this server's copy of the users' numbering (numbers.go).
	numbers *userNumbers
	// warn reports a batch that could not go at once (it then goes key by key).
	warn func(msg string, keyValues ...any)
}

var _ receipts.Store = (*Store)(nil)

// New returns a Store on kv.
func New(kv KV) *Store {
	return &Store{kv: kv, attempts: maxAttempts, recent: newRecentValues(), numbers: newUserNumbers(kv, maxAttempts),
		warn: func(string, ...any) {}}
}

// WithWarnings logs, through warn, the batches that could not go at once.
func (s *Store) WithWarnings(warn func(msg string, keyValues ...any)) *Store {
	s.warn = warn
	return s
}

// get decodes the value at key into dst and reports whether it existed.
func (s *Store) get(key string, dst any) (bool, error) {
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		return false, err
	}
	return true, decode(key, data, dst)
}

// decode decodes a stored value; a value that does not decode is
// receipts.ErrUndecodable, so that callers can pass over it.
func decode(key string, data []byte, dst any) error {
	if err := json.Unmarshal(data, dst); err != nil {
		return errors.Wrapf(receipts.ErrUndecodable, "failed to decode %s: %v", key, err)
	}
	return nil
}

func (s *Store) put(key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return errors.Wrapf(err, "failed to encode %s", key)
	}
	return s.kv.Set(key, data)
}

// update is the one read-modify-write loop: it reads the current value,
// applies fn to a fresh copy and writes with compare-and-set, re-reading and
// re-applying fn after a conflict, with jittered backoff. When the key is
// absent, fn gets a zero value, or update fails with receipts.ErrNotFound if
// mustExist. fn returning receipts.ErrNoChange ends without writing.
func update[T any](s *Store, key string, mustExist bool, fn func(*T) error) (*T, error) {
	rec, _, err := updateFrom(s, key, mustExist, nil, fn)
	return rec, err
}

// updateFrom is update whose first try assumes the value is guess (when not
// nil) instead of reading it: right, it saves a read; wrong, the
// compare-and-set fails and the next try reads. It also returns the value
// written (or found, when fn changed nothing).
func updateFrom[T any](s *Store, key string, mustExist bool, guess []byte, fn func(*T) error) (*T, []byte, error) {
	for attempt := 0; attempt < s.attempts; attempt++ {
		old := guess
		if old == nil {
			var err error
			if old, err = s.kv.Get(key); err != nil {
				return nil, nil, err
			}
		}
		if old == nil && mustExist {
			return nil, nil, receipts.ErrNotFound
		}
		rec := new(T)
		if old != nil {
			if err := decode(key, old, rec); err != nil {
				return nil, nil, err
			}
		}
		if err := fn(rec); err != nil {
			if errors.Is(err, receipts.ErrNoChange) && guess != nil {
				guess = nil // decided on a guess: decide again on what is stored
				attempt--
				continue
			}
			if errors.Is(err, receipts.ErrNoChange) {
				return rec, old, nil
			}
			return nil, nil, err
		}
		data, err := json.Marshal(rec)
		if err != nil {
			return nil, nil, errors.Wrapf(err, "failed to encode %s", key)
		}
		ok, err := s.kv.CompareAndSet(key, old, data)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			return rec, data, nil
		}
		if guess != nil { // a wrong guess costs no try
			guess = nil
			attempt--
			continue
		}
		time.Sleep(backoff(attempt))
	}
	return nil, nil, errors.Wrapf(ErrConflict, "failed to update %s", key)
}

func backoff(attempt int) time.Duration {
	d := time.Duration(1<<min(attempt, 16)) * 100 * time.Microsecond
	d = min(d, maxBackoff)
	return d/2 + rand.N(d/2+1)
}

// getRemembered is get that remembers the value for a later updateRemembered.
func (s *Store) getRemembered(key string, dst any) (bool, error) {
	data, err := s.kv.Get(key)
	if err != nil || data == nil {
		s.recent.forget(key)
		return false, err
	}
	if err := decode(key, data, dst); err != nil {
		return false, err
	}
	s.recent.remember(key, data)
	return true, nil
}

// updateRemembered is update whose first try assumes the value this server
// last read or wrote at key.
func updateRemembered[T any](s *Store, key string, mustExist bool, fn func(*T) error) (*T, error) {
	rec, data, err := updateFrom(s, key, mustExist, s.recent.recall(key), fn)
	if err != nil || data == nil {
		s.recent.forget(key)
		return rec, err
	}
	s.recent.remember(key, data)
	return rec, nil
}

// CursorSecret returns the key that signs cursors, creating it once for the
// whole cluster.
func (s *Store) CursorSecret() ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := crand.Read(fresh); err != nil {
		return nil, errors.Wrap(err, "failed to make cursor secret")
	}
	if _, err := s.kv.CompareAndSet(keyCursorSecret, nil, fresh); err != nil {
		return nil, err
	}
	secret, err := s.kv.Get(keyCursorSecret)
	if err == nil && len(secret) == 0 {
		err = errors.New("cursor secret is missing")
	}
	return secret, err
}

// configClaimSeconds is how long a claim on a settings change lasts: long
// enough for every server of a cluster to see the change (they hear of it
// within a second), short enough that an admin who switches a setting off
// and on again a few seconds later has both changes announced.
const configClaimSeconds = 5

// ClaimConfigChange reports whether this server is the one to announce a
// change to the settings named by hash: every server sees the change, and
// only the first to claim it wins.
func (s *Store) ClaimConfigChange(hash string) (bool, error) {
	return s.kv.InsertWithExpiry(configClaimKey(hash), []byte{1}, configClaimSeconds)
}
