package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// userIDs returns n sorted, distinct, random user ids.
func userIDs(n int) []string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	ids := make([]string, n)
	for i := range ids {
		b := make([]byte, 26)
		for j := range b {
			b[j] = alphabet[rand.N(len(alphabet))]
		}
		ids[i] = string(b)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func TestASnapshotCostsAFewBytesPerMember(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s := New(kv)
	users := userIDs(10000)
	require.NoError(t, s.SaveSnapshot("first", &receipts.Snapshot{Version: 2, Users: users, LastUsed: 1}))
	_, afterFirst := kv.Size()
	assert.LessOrEqual(t, len(kv.Value(snapshotKey("first"))), 2*len(users),
		"a snapshot of users already numbered is a byte or two per member")

	// The next channel's snapshot, mostly the same people: the numbering
	// grows by the new ones only.
	next := slices.Concat(users[1:], userIDs(10))
	slices.Sort(next)
	require.NoError(t, s.SaveSnapshot("next", &receipts.Snapshot{Version: 2, Users: next, LastUsed: 1}))
	_, afterNext := kv.Size()
	size := len(kv.Value(snapshotKey("next")))
	assert.LessOrEqual(t, size, 2*len(next))
	assert.LessOrEqual(t, afterNext-afterFirst, size+10*26+64,
		"ten new users add 26 bytes each to the numbering, nothing more")

	got, err := New(kv).Snapshot("next")
	require.NoError(t, err)
	assert.Equal(t, next, got.Users, "another server reads the same users back")
}

func TestSnapshotsKeepTheirUsersAndShape(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s := New(kv)
	users := userIDs(5)
	delta := &receipts.Snapshot{Version: 2, Base: "base", Added: users[:2], Removed: users[3:], LastUsed: 7}
	require.NoError(t, s.SaveSnapshot("delta", delta))
	got, err := New(kv).Snapshot("delta")
	require.NoError(t, err)
	assert.Equal(t, delta, got)

	require.NoError(t, s.SaveSnapshot("empty", &receipts.Snapshot{Version: 2, LastUsed: 7}))
	got, err = New(kv).Snapshot("empty")
	require.NoError(t, err)
	assert.Empty(t, got.Users)

	assert.Error(t, s.SaveSnapshot("bad", &receipts.Snapshot{Users: []string{"not-an-id"}}))
}

func TestSnapshotsWrittenAsIdsStillRead(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	users := userIDs(3)
	old := fmt.Sprintf(`{"v":2,"u":["%s","%s"],"lu":5}`, users[0], users[1])
	require.NoError(t, kv.Set(snapshotKey("old"), []byte(old)))
	delta := fmt.Sprintf(`{"v":2,"b":"old","ad":["%s"],"rm":["%s"],"lu":6}`, users[2], users[0])
	require.NoError(t, kv.Set(snapshotKey("delta"), []byte(delta)))
	s := New(kv)
	got, err := s.Snapshot("old")
	require.NoError(t, err)
	assert.Equal(t, &receipts.Snapshot{Version: 2, Users: users[:2], LastUsed: 5}, got)
	got, err = s.Snapshot("delta")
	require.NoError(t, err)
	assert.Equal(t, &receipts.Snapshot{Version: 2, Base: "old", Added: users[2:], Removed: users[:1], LastUsed: 6}, got)
}

// Servers numbering overlapping users at the same time give each one number,
// and read each other's snapshots.
func TestServersNumberEachUserOnce(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	all := userIDs(2500)
	servers := []*Store{New(kv), New(kv), New(kv)}
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := all[i*500 : 1500+i*500] // overlapping thirds
			assert.NoError(t, s.SaveSnapshot(fmt.Sprint(i), &receipts.Snapshot{Version: 2, Users: mine, LastUsed: 1}))
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for k := 0; ; k++ {
		chunk := kv.Value(numbersKey(k))
		for i := 0; i < len(chunk); i += idLength {
			id := string(chunk[i : i+idLength])
			assert.False(t, seen[id], "user %s numbered twice", id)
			seen[id] = true
		}
		if len(chunk) < numbersPerChunk*idLength {
			break
		}
	}
	assert.Equal(t, len(all), len(seen), "every user is numbered")
	reader := New(kv)
	for i := range servers {
		got, err := reader.Snapshot(fmt.Sprint(i))
		require.NoError(t, err)
		assert.Equal(t, len(all[i*500:1500+i*500]), len(got.Users))
		assert.True(t, slices.Equal(all[i*500:1500+i*500], got.Users))
	}
}

// If the plugin's data is wiped while a server runs and users are numbered
// anew, the server reads the new numbering instead of trusting its own.
func TestANumberingWrittenAnewIsReadAnew(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s := New(kv)
	users := userIDs(3)
	require.NoError(t, s.SaveSnapshot("a", &receipts.Snapshot{Version: 2, Users: users[:2], LastUsed: 1}))
	require.NoError(t, kv.Set(numbersKey(0), nil)) // wiped
	require.NoError(t, kv.Set(snapshotKey("a"), nil))
	other := New(kv)
	fresh := []string{users[0], users[2]} // numbered 1 and 0 by the other server
	require.NoError(t, other.SaveSnapshot("b", &receipts.Snapshot{Version: 2, Users: fresh, LastUsed: 1}))
	got, err := s.Snapshot("b")
	require.NoError(t, err)
	assert.Equal(t, fresh, got.Users)
	require.NoError(t, s.SaveSnapshot("c", &receipts.Snapshot{Version: 2, Users: users[1:], LastUsed: 1}))
	got, err = other.Snapshot("c")
	require.NoError(t, err)
	assert.Equal(t, users[1:], got.Users, "a snapshot written on the old numbering")
}

// The same when the server had read exactly a whole chunk: the chunk it read
// last is read again, and compared.
func TestANumberingWrittenAnewIsNoticedAtAChunksEnd(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s := New(kv)
	users := userIDs(numbersPerChunk + 1)
	require.NoError(t, s.SaveSnapshot("a", &receipts.Snapshot{Version: 2, Users: users[:numbersPerChunk], LastUsed: 1}))
	require.NoError(t, kv.Set(numbersKey(0), nil)) // wiped
	other := New(kv)
	fresh := users[numbersPerChunk:] // numbered 0 by the other server
	require.NoError(t, other.SaveSnapshot("b", &receipts.Snapshot{Version: 2, Users: fresh, LastUsed: 1}))
	got, err := s.Snapshot("b")
	require.NoError(t, err)
	assert.Equal(t, fresh, got.Users)
}
