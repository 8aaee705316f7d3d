package integration

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
)

const webhookSecret = "integration-webhook-secret-0123"

// readEvent is one event of API.md's "Webhook after read".
type readEvent struct {
	ID        string `json:"id"`
	PostID    string `json:"post_id"`
	ChannelID string `json:"channel_id"`
	AuthorID  string `json:"author_id"`
	ReaderID  string `json:"reader_id"`
	ReadAt    int64  `json:"read_at"`
}

// delivery is one request the receiver got, and what it answered.
type delivery struct {
	status   int
	signedOK bool
	events   []readEvent
}

// receiver is a webhook endpoint in the test process, on 127.0.0.1: the
// server reaches it although Mattermost's allow list of untrusted internal
// connections is empty. It holds its first request until released, then
// fails the first `fail` requests with 500.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	arrived int
	got     []delivery
	fail    int
	release chan struct{}
}

func newReceiver(t *testing.T, fail int) *receiver {
	r := &receiver{fail: fail, release: make(chan struct{})}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.arrived++
	r.mu.Unlock()
	<-r.release
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write(body)
	d := delivery{status: http.StatusOK, signedOK: req.Header.Get("X-Read-Receipts-Signature") == "sha256="+hex.EncodeToString(m.Sum(nil))}
	var payload struct {
		Events []readEvent `json:"events"`
	}
	if json.Unmarshal(body, &payload) != nil || req.Method != http.MethodPost {
		d.status = http.StatusBadRequest
	}
	d.events = payload.Events
	r.mu.Lock()
	if len(r.got) < r.fail {
		d.status = http.StatusInternalServerError
	}
	r.got = append(r.got, d)
	r.mu.Unlock()
	w.WriteHeader(d.status)
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// accepted waits until an accepted delivery holds the reader's event of the post.
func (r *receiver) accepted(t *testing.T, postID, readerID string) readEvent {
	t.Helper()
	var found readEvent
	err := mmtest.Poll(30*time.Second, 100*time.Millisecond, func() (bool, string) {
		for _, d := range r.deliveries() {
			for _, e := range d.events {
				if d.status == http.StatusOK && e.PostID == postID && e.ReaderID == readerID {
					found = e
					return true, ""
				}
			}
		}
		return false, "no accepted delivery with the post's event"
	})
	require.NoError(t, err)
	return found
}

// TestWebhookAfterRead points the webhook at a receiver in the test process
// and checks signatures, content, retries after failures, that reads do not
// wait for delivery, and that no event goes out that the privacy rules hide.
func TestWebhookAfterRead(t *testing.T) {
	recv := newReceiver(t, 2)
	env := newEnv(t)
	author, reader, optedOut, hidden := env.NewUser(t, "hookauthor"), env.NewUser(t, "hookreader"),
		env.NewUser(t, "hookoptout"), env.NewUser(t, "hookhidden")
	ch := env.GM(t, author, reader, optedOut, hidden)

	withWebhook(t, recv.URL)

	setSend(t, hidden, false) // under Reciprocal, hidden's own posts get no receipts
	first := postTracked(t, author, ch.Id, "first")
	hiddenPost := hidden.Post(t, ch.Id, "from someone who sends no receipts")
	post := postTracked(t, author, ch.Id, "announcement")
	requireRecorded(t, reader, first.Id)
	require.NoError(t, mmtest.Poll(15*time.Second, 50*time.Millisecond, func() (bool, string) {
		recv.mu.Lock()
		defer recv.mu.Unlock()
		return recv.arrived > 0, "the first delivery has not arrived"
	}))
	// The receiver now holds that delivery: reads go on being recorded.
	setSend(t, optedOut, false)
	require.NoError(t, mmtest.Poll(settle, 100*time.Millisecond, func() (bool, string) {
		out := read(t, reader, hiddenPost.Id)
		return len(out.Recorded) == 1, "hidden's post is not tracked yet"
	}))
	requireSkipped(t, optedOut, post.Id, mmtest.ReasonDisabled)
	requireRecorded(t, reader, post.Id)
	close(recv.release)

	firstEvent := recv.accepted(t, first.Id, reader.Id)
	got := recv.accepted(t, post.Id, reader.Id)
	readers := allReaders(t, author, post.Id, "read", 100)
	require.Len(t, readers, 1)
	assert.Equal(t, readEvent{ID: got.ID, PostID: post.Id, ChannelID: ch.Id, AuthorID: author.Id, ReaderID: reader.Id,
		ReadAt: readers[0].ReadAt}, got)
	assert.NotEmpty(t, got.ID)

	all := recv.deliveries()
	require.GreaterOrEqual(t, len(all), 3, "two failures, then the accepted retry")
	var tries int
	for i, d := range all {
		assert.True(t, d.signedOK, "delivery %d is signed with the secret", i)
		for _, e := range d.events {
			assert.NotEqual(t, hiddenPost.Id, e.PostID, "no event of a post whose author reciprocity hides reads from")
			assert.NotEqual(t, optedOut.Id, e.ReaderID, "no event from a user who stopped sending receipts")
			if e.PostID == first.Id && e.ReaderID == reader.Id {
				tries++
				assert.Equal(t, firstEvent.ID, e.ID, "every retry carries the same event id")
			}
		}
	}
	assert.GreaterOrEqual(t, tries, 3, "the event was retried after the receiver failed")
	assert.Equal(t, http.StatusInternalServerError, all[0].status)
}

// withWebhook applies the baseline with the webhook set. GET /config never
// shows the webhook, so a client-visible setting changes with it: once
// GET /config shows that, the plugin runs with the whole new configuration.
func withWebhook(t *testing.T, url string) {
	t.Helper()
	s := baseline
	s.WebhookURL, s.WebhookSecret = url, webhookSecret
	s.MaxChannelMembers = baseline.MaxChannelMembers - 1
	withSettings(t, s)
}

func setSend(t *testing.T, u *mmtest.User, send bool) {
	t.Helper()
	_, res, err := u.Plugin.SetSendReadReceipts(t.Context(), send)
	requireOK(t, res, err)
}

// TestWebhookEventsSurviveAPluginRestart: events the receiver has not taken
// when the plugin stops are kept and sent once it runs again.
func TestWebhookEventsSurviveAPluginRestart(t *testing.T) {
	recv := newReceiver(t, 1<<30) // fails until told otherwise
	close(recv.release)
	env := newEnv(t)
	author, reader := env.NewUser(t, "restartauthor"), env.NewUser(t, "restartreader")
	dm := env.DM(t, author, reader)

	withWebhook(t, recv.URL)

	post := postTracked(t, author, dm.Id, "before the restart")
	requireRecorded(t, reader, post.Id)
	require.NoError(t, mmtest.Poll(15*time.Second, 50*time.Millisecond, func() (bool, string) {
		return len(recv.deliveries()) > 0, "no delivery tried yet"
	}), "the receiver refused the event at least once")

	_, err := suite.Admin.DisablePlugin(t.Context(), mmtest.PluginID)
	require.NoError(t, err)
	recv.mu.Lock()
	recv.fail = 0
	recv.mu.Unlock()
	_, err = suite.Admin.EnablePlugin(t.Context(), mmtest.PluginID)
	require.NoError(t, err)
	require.NoError(t, mmtest.WaitPluginRunning(t.Context(), suite.Admin, 60*time.Second))

	got := recv.accepted(t, post.Id, reader.Id)
	assert.Equal(t, author.Id, got.AuthorID)
}
