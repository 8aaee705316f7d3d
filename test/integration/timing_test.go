package integration

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

// TestReadsRightAfterPosting: a read sent the moment CreatePost answers,
// before the plugin's posted hook has run, is recorded (in both request
// modes); so is a channel read, and the author's query answers at once.
func TestReadsRightAfterPosting(t *testing.T) {
	for _, mode := range []string{"all", "per_message"} {
		t.Run(mode, func(t *testing.T) {
			s := baseline
			s.RequestMode = mode
			withSettings(t, s)
			env := newEnv(t)
			author := env.NewUser(t, "author")
			reader := env.NewUser(t, "reader")
			viewer := env.NewUser(t, "viewer")
			ch := env.PrivateChannel(t, author, reader, viewer)
			for i := range 20 {
				post := author.PostWith(t, withReadReceipt(ch.Id, fmt.Sprint("fast ", i), true))
				requireRecorded(t, reader, post.Id)
				out, res, err := viewer.Plugin.ReadChannel(t.Context(), ch.Id, 0)
				requireOK(t, res, err)
				assert.Equal(t, 1, out.Recorded, "post %d: the channel read", i)
				requireCounts(t, author, post.Id, 2, 0)
			}
		})
	}
}

// TestTwoHundredReadersAtOnce: 200 users read one post at the same instant;
// every read is recorded and none fails. Sequential, so that the 200 users
// stay within the active users an unlicensed server allows.
func TestTwoHundredReadersAtOnce(t *testing.T) {
	env := newEnv(t)
	author := env.NewUser(t, "author")
	readers := env.NewUsers(t, 200, "twohundred")
	ch := env.PrivateChannel(t, author, readers...)
	post := postTracked(t, author, ch.Id, "two hundred at once")

	start := make(chan struct{})
	statuses := make([]int, len(readers))
	outs := make([]mmtest.ReadsResult, len(readers))
	var wg sync.WaitGroup
	for i, u := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out, res, err := u.Plugin.Reads(t.Context(), post.Id)
			if err == nil {
				statuses[i], outs[i] = res.Status, out
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range readers {
		require.Equal(t, http.StatusOK, statuses[i], "reader %d", i)
		assert.Equal(t, []string{post.Id}, outs[i].Recorded, "reader %d", i)
	}
	requireCounts(t, author, post.Id, len(readers), 0)
	assertSameIDs(t, ids(readers...), readerIDs(allReaders(t, author, post.Id, "read", 100)))
}
