package receipts_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// rememberedBatch sets up two servers over one KV, with a post in a group
// channel that the first server has read, and the opt-outs it has seen.
func rememberedBatch(t *testing.T) (e *env, here, there *receipts.Service, reader, postID string) {
	e = newEnv(t)
	c := e.cluster(2)
	here, there = c.servers[0], c.servers[1]
	author, reader, other := e.mm.addUser("author"), e.mm.addUser("reader"), e.mm.addUser("other")
	ch := e.mm.addChannel(receipts.ChannelGroup, author, reader, other)
	postID = e.post(ch, author)
	res, err := here.RecordReads(other, []string{postID}) // here now remembers the post and the opt-outs
	require.NoError(t, err)
	require.Equal(t, []string{postID}, res.Recorded)
	return e, here, there, reader, postID
}

// TestAnOptOutElsewhereStopsARememberedBatch: a batch decided on the
// opt-outs this server remembers is not written once the reader stopped
// sending receipts on another server.
func TestAnOptOutElsewhereStopsARememberedBatch(t *testing.T) {
	e, here, there, reader, postID := rememberedBatch(t)
	_, err := there.SetSendReadReceipts(reader, false)
	require.NoError(t, err)

	res, err := here.RecordReads(reader, []string{postID})
	require.NoError(t, err)
	assert.Empty(t, res.Recorded)
	assert.Equal(t, []receipts.Skipped{{PostID: postID, Reason: receipts.ReasonDisabled}}, res.Skipped)
	q, err := there.QueryReceipts(e.authorOf(postID), []string{postID})
	require.NoError(t, err)
	require.Len(t, q.Receipts, 1)
	assert.Equal(t, 1, q.Receipts[0].ReadCount, "only the other member's read")
}

// TestARecordChangedElsewhereIsDecidedAgain: a server whose remembered
// record misses a read another server wrote neither loses that read nor
// counts the same reader twice.
func TestARecordChangedElsewhereIsDecidedAgain(t *testing.T) {
	e, here, there, reader, postID := rememberedBatch(t)
	res, err := there.RecordReads(reader, []string{postID})
	require.NoError(t, err)
	require.Equal(t, []string{postID}, res.Recorded)

	res, err = here.RecordReads(reader, []string{postID})
	require.NoError(t, err)
	assert.Empty(t, res.Recorded)
	assert.Equal(t, []receipts.Skipped{{PostID: postID, Reason: receipts.ReasonAlreadyRead}}, res.Skipped)
	q, err := here.QueryReceipts(e.authorOf(postID), []string{postID})
	require.NoError(t, err)
	require.Len(t, q.Receipts, 1)
	assert.Equal(t, 2, q.Receipts[0].ReadCount)
	assert.Equal(t, 0, q.Receipts[0].UnreadCount)
}
