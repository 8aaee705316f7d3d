package receipts

import (
	"testing"

	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPackedReadsRoundTrip(t *testing.T) {
	snap := &Snapshot{Users: []string{"a", "b", "c"}}
	reads := []ReadEntry{{UserID: "c", At: 990}, {UserID: "a", At: 1000}, {UserID: "b", At: 5_000_000}}
	packed, err := packReads(reads, snap, 1000)
	require.NoError(t, err)
	back, err := unpackReads(packed, snap, 1000)
	require.NoError(t, err)
	assert.Equal(t, reads, back, "times before the base survive too")

	_, err = packReads([]ReadEntry{{UserID: "z", At: 1}}, snap, 0)
	assert.Error(t, err, "a reader outside the recipients cannot be packed")
	for _, bad := range []string{"!!", "Aw", "/w"} { // not base64; index 3 of 3 users; truncated varint
		_, err = unpackReads(bad, snap, 0)
		assert.True(t, errors.Is(err, ErrUndecodable), bad)
	}
}
