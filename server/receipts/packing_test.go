package receipts_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// postBytes is what a post's record and read chunks take in the KV.
func (e *env) postBytes(postID string) int {
	n := len(e.kv.Value("p:" + postID))
	for k := 0; ; k++ {
		chunk := e.kv.Value(fmt.Sprintf("pr:%s:%d", postID, k))
		if chunk == nil {
			return n
		}
		n += len(chunk)
	}
}

// readerIDs lists every reader of a post, in the order the list gives them.
func (e *env) readerIDs(author, postID string) []string {
	var out []string
	q := receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: receipts.MaxPerPage}
	for {
		page, err := e.svc.Readers(author, postID, q)
		require.NoError(e.t, err)
		for _, u := range page.Users {
			out = append(out, u.UserID)
		}
		if page.IsFinished {
			return out
		}
		q.Cursor = page.NextCursor
	}
}

// TestAReadCostsFewBytes: a read is stored as the reader's place among the
// recipients and a time difference, not as a user id and a full time.
func TestAReadCostsFewBytes(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(1000, "u%04d")
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	p := e.post(ch, users[0])
	before := e.postBytes(p)
	for _, u := range users[1:] {
		e.advance(time.Second)
		require.Len(t, e.read(u, p).Recorded, 1)
	}
	perRead := float64(e.postBytes(p)-before) / float64(len(users)-1)
	t.Logf("KV bytes per read: %.1f", perRead)
	assert.LessOrEqual(t, perRead, 16.0)
	assert.Equal(t, users[1:], e.readerIDs(users[0], p), "every read listed, in order")
}

// TestFormat1ReadsAreStillRead: records and chunks written before reads were
// packed are read as they are, and packed when next written.
func TestFormat1ReadsAreStillRead(t *testing.T) {
	e := newEnv(t)
	users := e.mm.addUsers(80, "u%02d")
	ch := e.mm.addChannel(receipts.ChannelPrivate, users...)
	p := e.post(ch, users[0])
	for _, u := range users[1:71] {
		e.advance(time.Second)
		e.read(u, p)
	}
	want := e.readerIDs(users[0], p)
	require.Len(t, want, 70)

	e.rewriteAsFormat1(p)
	fresh := e.withKV(e.kv) // a server that has not seen the packed record
	e.svc = fresh
	assert.Equal(t, want, e.readerIDs(users[0], p), "format-1 record and chunk read as they are")

	e.advance(time.Second)
	require.Len(t, e.read(users[71], p).Recorded, 1)
	assert.Equal(t, append(want, users[71]), e.readerIDs(users[0], p))
	assert.Contains(t, string(e.kv.Value("p:"+p)), `"rp":`, "packed when written again")
	assert.Equal(t, 71, e.receipt(users[0], p).ReadCount)
}

// rewriteAsFormat1 turns a post's stored reads back into format 1: JSON lists
// of {"u": user, "t": time} in the record and its chunks.
func (e *env) rewriteAsFormat1(postID string) {
	t := e.t
	var listed []receipts.ReadEntry
	q := receipts.ReaderQuery{Filter: receipts.FilterRead, PerPage: receipts.MaxPerPage}
	page, err := e.svc.Readers(e.authorOf(postID), postID, q)
	require.NoError(t, err)
	require.True(t, page.IsFinished)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(e.kv.Value("p:"+postID), &rec))
	chunks := int(rec["k"].(float64))
	require.Equal(t, 1, chunks)
	for _, u := range page.Users {
		listed = append(listed, receipts.ReadEntry{UserID: u.UserID, At: u.ReadAt})
	}
	chunk, err := json.Marshal(listed[:receipts.ChunkSize])
	require.NoError(t, err)
	require.NoError(t, e.kv.Set(fmt.Sprintf("pr:%s:0", postID), chunk))
	delete(rec, "rp")
	rec["v"], rec["r"] = 1, listed[receipts.ChunkSize:]
	data, err := json.Marshal(rec)
	require.NoError(t, err)
	require.NoError(t, e.kv.Set("p:"+postID, data))
	require.False(t, strings.Contains(string(data), `"rp"`))
}
