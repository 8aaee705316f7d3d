package receipts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestARepeatedQueryCarriesOnlyWhatChanged: a server asks for a batch of
// records with the values it last saw, and the KV sends back only those that
// changed since (on the real server, each value crosses the plugin bridge).
// A record another server changed meanwhile is sent, and answered fresh.
func TestARepeatedQueryCarriesOnlyWhatChanged(t *testing.T) {
	e, kv := countingEnv(t)
	users := e.mm.addUsers(6, "u%d")
	ch := e.mm.addChannel("P", users...)
	var posts []string
	for range 20 {
		posts = append(posts, e.post(ch, users[0]))
	}
	_, err := e.svc.RecordReads(users[1], posts)
	require.NoError(t, err)

	query := func() map[string]int {
		res, err := e.svc.QueryReceipts(users[0], posts)
		require.NoError(t, err)
		require.Len(t, res.Receipts, len(posts))
		counts := map[string]int{}
		for _, r := range res.Receipts {
			counts[r.PostID] = r.ReadCount
		}
		return counts
	}
	query()
	before := kv.sent.Load()
	query()
	assert.Zero(t, kv.sent.Load()-before, "nothing changed: no value is sent again")

	other := e.serviceOn(e.kv) // another server, on the same KV
	_, err = other.RecordReads(users[2], posts[:1])
	require.NoError(t, err)
	before = kv.sent.Load()
	counts := query()
	assert.Equal(t, 2, counts[posts[0]], "the other server's read is seen")
	assert.Equal(t, 1, counts[posts[1]])
	sent := kv.sent.Load() - before
	assert.Positive(t, sent)
	assert.Less(t, sent, int64(len(e.kv.Value("p:"+posts[0]))+64), "only the changed record (and the opt-outs) is sent")
}
