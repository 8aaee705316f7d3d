package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/kvtest"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// getCountingKV counts reads.
type getCountingKV struct {
	*kvtest.MemKV
	gets int
}

func (k *getCountingKV) Get(key string) ([]byte, error) {
	k.gets++
	return k.MemKV.Get(key)
}

// TestUpdateAfterLoadReadsOnce: recording a read right after loading the post
// (what every POST /reads does) reads the record once, not twice.
func TestUpdateAfterLoadReadsOnce(t *testing.T) {
	kv := &getCountingKV{MemKV: kvtest.NewMemKV(1)}
	s := New(kv)
	ok, err := s.InsertPost("p", &receipts.PostRecord{AuthorID: "a"})
	require.NoError(t, err)
	require.True(t, ok)
	_, err = s.Post("p")
	require.NoError(t, err)
	kv.gets = 0
	_, err = s.UpdatePost("p", func(r *receipts.PostRecord) error { r.ReadCount++; return nil })
	require.NoError(t, err)
	assert.Equal(t, 0, kv.gets)
}

// TestUpdateOnAStaleGuessSeesTheOtherServersWrite: a server whose remembered
// record is out of date still adds to what the other server wrote, and does
// not take "nothing to do" from its old copy.
func TestUpdateOnAStaleGuessSeesTheOtherServersWrite(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	here, there := New(kv), New(kv)
	_, err := here.InsertPost("p", &receipts.PostRecord{AuthorID: "a"})
	require.NoError(t, err)
	_, err = here.Post("p")
	require.NoError(t, err)
	_, err = there.UpdatePost("p", func(r *receipts.PostRecord) error { r.ReadCount = 5; return nil })
	require.NoError(t, err)

	rec, err := here.UpdatePost("p", func(r *receipts.PostRecord) error {
		if r.ReadCount == 0 {
			return receipts.ErrNoChange // what the stale copy would decide
		}
		r.ReadCount++
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 6, rec.ReadCount)
	stored, err := there.Post("p")
	require.NoError(t, err)
	assert.Equal(t, 6, stored.ReadCount)
}

func TestRecentValuesStayWithinBounds(t *testing.T) {
	r := newRecentValues()
	big := make([]byte, 64<<10)
	for i := range 1000 {
		r.remember(string(rune(i)), big)
	}
	assert.LessOrEqual(t, r.bytes, recentBytes)
	assert.Equal(t, r.bytes, len(r.values)*len(big))
	r.remember("small", []byte("x"))
	assert.Equal(t, []byte("x"), r.recall("small"))
}

// TestDecodedRecordsAreCopiesOfTheCurrentValue: batch reads reuse the record
// decoded from the same bytes, but each caller gets its own copy, and a
// record another server changed is decoded from its new bytes.
func TestDecodedRecordsAreCopiesOfTheCurrentValue(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	here, there := New(kv), New(kv)
	_, err := here.InsertPosts([]string{"p", "q"}, []*receipts.PostRecord{
		{AuthorID: "a", Readers: receipts.Bitmap{0}, Tail: []receipts.ReadEntry{{UserID: "u", At: 1}}},
		{AuthorID: "a"},
	})
	require.NoError(t, err)
	first, err := here.Posts([]string{"p", "q"})
	require.NoError(t, err)
	first["p"].Readers.Set(3)
	first["p"].Tail[0].At = 99
	first["p"].ReadCount = 7

	second, err := here.Posts([]string{"p", "q"})
	require.NoError(t, err)
	assert.Equal(t, receipts.Bitmap{0}, second["p"].Readers, "a caller's change reached the next reader")
	assert.Equal(t, int64(1), second["p"].Tail[0].At)
	assert.Zero(t, second["p"].ReadCount)

	_, err = there.UpdatePost("p", func(r *receipts.PostRecord) error { r.ReadCount = 5; return nil })
	require.NoError(t, err)
	third, err := here.Posts([]string{"p"})
	require.NoError(t, err)
	assert.Equal(t, 5, third["p"].ReadCount, "a record changed elsewhere is decoded again")

	errs := here.UpdatePosts([]string{"p", "q"}, func(_ string, r *receipts.PostRecord) error { r.ReadCount++; return nil })
	require.Empty(t, errs)
	fourth, err := here.Posts([]string{"p", "q"})
	require.NoError(t, err)
	assert.Equal(t, 6, fourth["p"].ReadCount)
	assert.Equal(t, 1, fourth["q"].ReadCount)
}

// TestAWrittenRecordIsRememberedAsItsBytesDecode: the record a batch write
// remembers is exactly what decoding the bytes it wrote gives, for records
// shaped as the domain writes them (reads packed, a chunk moved out).
func TestAWrittenRecordIsRememberedAsItsBytesDecode(t *testing.T) {
	kv := kvtest.NewMemKV(1)
	s := New(kv)
	_, err := s.InsertPosts([]string{"p", "q"}, []*receipts.PostRecord{
		{Version: 2, AuthorID: "a", Readers: receipts.NewBitmap(20)},
		{Version: 2, AuthorID: "a", Readers: receipts.NewBitmap(3000)},
	})
	require.NoError(t, err)
	_, err = s.Posts([]string{"p", "q"})
	require.NoError(t, err)
	errs := s.UpdatePosts([]string{"p", "q"}, func(_ string, r *receipts.PostRecord) error {
		r.Readers.Set(7)
		r.ReadCount++
		r.PackedTail, r.Tail, r.Late = "BwE", nil, nil
		r.ChunkStarts = append(r.ChunkStarts, 5)
		r.Floor, r.Chunks = receipts.ReadEntry{UserID: "u", At: 4}, 1
		return nil
	})
	require.Empty(t, errs)
	for _, key := range []string{postKey("p"), postKey("q")} {
		var stored receipts.PostRecord
		require.NoError(t, decode(key, kv.Value(key), &stored))
		assert.Equal(t, &stored, s.decoded.recs[key].rec, key)
	}
}
