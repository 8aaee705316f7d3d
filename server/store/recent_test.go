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
