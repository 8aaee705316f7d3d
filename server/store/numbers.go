package store

import (
	"strings"
	"sync"
	"time"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// Snapshots name their users by number, not by id: a user's number is given
// once, for every channel and server, and a snapshot stores its members'
// numbers sorted, as varint gaps. A member then costs one or two bytes in
// a snapshot instead of 29 (a quoted id), so a 10,000-member channel's
// snapshot is about 13 KB, not 290 KB. Each user's id is stored once, in the
// numbering: chunks of numbersPerChunk ids, 26 bytes each, appended to by
// compare-and-set and never rewritten otherwise. Numbers are only ever
// added, so what a server has read of the numbering stays true; it reads
// on from where it stopped when it meets a number or a user it does not know.

// numbersPerChunk is how many users one chunk of the numbering holds (26 KB).
const numbersPerChunk = 1024

const idLength = 26

// userNumbers is this server's copy of the numbering.
type userNumbers struct {
	kv       KV
	attempts int
	mu       sync.Mutex
	ids      []string // ids[n] is user n
	nums     map[string]uint32
}

func newUserNumbers(kv KV, attempts int) *userNumbers {
	return &userNumbers{kv: kv, attempts: attempts, nums: map[string]uint32{}}
}

// numbers returns the users' numbers, giving numbers to those without one.
// It reads on first (one KV read: snapshots are saved when a channel's
// members change, not per post), which also notices a wiped numbering.
func (u *userNumbers) numbers(ids []string) ([]uint32, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.readOn(); err != nil {
		return nil, err
	}
	if err := u.give(u.unknown(ids)); err != nil {
		return nil, err
	}
	out := make([]uint32, len(ids))
	for i, id := range ids {
		out[i] = u.nums[id]
	}
	return out, nil
}

// users returns the ids of numbered users. It reads on first, as numbers
// does (a snapshot is decoded once per server, then kept).
func (u *userNumbers) users(nums []uint32) ([]string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.readOn(); err != nil {
		return nil, err
	}
	for _, n := range nums {
		if int(n) >= len(u.ids) {
			return nil, errors.Wrapf(receipts.ErrUndecodable, "user number %d is not given", n)
		}
	}
	out := make([]string, len(nums))
	for i, n := range nums {
		out[i] = u.ids[n]
	}
	return out, nil
}

// unknown returns the ids without a number here, once each.
func (u *userNumbers) unknown(ids []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := u.nums[id]; !ok && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// give numbers the users; the caller has just read on. Each round appends
// what fits to the last chunk with one compare-and-set; a lost one reads on
// (another server may have numbered some of them) and tries again.
func (u *userNumbers) give(ids []string) error {
	for attempt := 0; attempt < u.attempts; {
		if ids = u.unknown(ids); len(ids) == 0 {
			return nil
		}
		k, held := len(u.ids)/numbersPerChunk, len(u.ids)%numbersPerChunk
		add := ids[:min(len(ids), numbersPerChunk-held)]
		var old []byte
		if held > 0 {
			old = []byte(strings.Join(u.ids[k*numbersPerChunk:], ""))
		}
		ok, err := u.kv.CompareAndSet(numbersKey(k), old, append(append([]byte{}, old...), strings.Join(add, "")...))
		if err != nil {
			return err
		}
		if ok {
			u.append(add)
			continue
		}
		attempt++
		if err := u.readOn(); err != nil {
			return err
		}
		time.Sleep(backoff(attempt))
	}
	return errors.Wrap(ErrConflict, "failed to number users")
}

// readOn reads the numbering on from the last chunk this server has read
// any of (read again, so that there is always something to compare): a chunk
// that no longer starts with what this server read of it means the plugin's
// data was wiped and users numbered anew, and the server then reads it all
// again.
func (u *userNumbers) readOn() error {
	k := max(len(u.ids)-1, 0) / numbersPerChunk
	for {
		held := min(max(len(u.ids)-k*numbersPerChunk, 0), numbersPerChunk)
		data, err := u.kv.Get(numbersKey(k))
		if err != nil {
			return err
		}
		if len(data)%idLength != 0 || len(data)/idLength > numbersPerChunk {
			return errors.Wrapf(receipts.ErrUndecodable, "chunk %d of the user numbering has %d bytes", k, len(data))
		}
		if len(data)/idLength < held || string(data[:held*idLength]) != strings.Join(u.ids[k*numbersPerChunk:k*numbersPerChunk+held], "") {
			u.ids, u.nums, k = nil, map[string]uint32{}, 0
			continue
		}
		for i := held * idLength; i < len(data); i += idLength {
			u.append([]string{string(data[i : i+idLength])})
		}
		if len(data) < numbersPerChunk*idLength {
			return nil
		}
		k++
	}
}

func (u *userNumbers) append(ids []string) {
	for _, id := range ids {
		u.nums[id] = uint32(len(u.ids))
		u.ids = append(u.ids, id)
	}
}
