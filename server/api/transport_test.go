package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// A plugin's ResponseWriter and request body are remote: on the server,
// WriteHeader and Write each cost two RPCs, and every Read of the body one
// round trip. These tests count the calls a request makes.

// countingWriter counts the calls that would cross the plugin bridge.
type countingWriter struct {
	*httptest.ResponseRecorder
	writeHeaders, writes int
}

func (w *countingWriter) WriteHeader(status int) {
	w.writeHeaders++
	w.ResponseRecorder.WriteHeader(status)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(b)
}

// trickleBody returns at most what each Read asks for, and counts the Reads.
type trickleBody struct {
	r     io.Reader
	reads int
}

func (b *trickleBody) Read(p []byte) (int, error) {
	b.reads++
	return b.r.Read(p)
}

func (b *trickleBody) Close() error { return nil }

func sixtyIDs() string {
	return `{"post_ids":["` + strings.TrimSuffix(strings.Repeat(validID+`","`, 60), `","`) + `"]}`
}

func serveCounting(t *testing.T, path, body string, contentLength ...string) (*countingWriter, *trickleBody) {
	t.Helper()
	h := NewHandler(&stubService{}, config.Default, discard{}, nil)
	tb := &trickleBody{r: strings.NewReader(body)}
	req := httptest.NewRequest(http.MethodPost, path, nil)
	req.Body = tb
	req.Header.Set("Mattermost-User-Id", validID)
	for _, n := range contentLength {
		req.Header.Set("Content-Length", n) // as the plugin bridge passes it: the header, not the field
	}
	w := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
	h.ServeHTTP(w, req)
	return w, tb
}

func TestAnAnswerIsOneWrite(t *testing.T) {
	w, _ := serveCounting(t, "/api/v1/reads", sixtyIDs())
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, 0, w.writeHeaders, "200 is implied by the first Write")
	assert.Equal(t, 1, w.writes)

	w, _ = serveCounting(t, "/api/v1/reads", `{"post_ids":"x"}`)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, 1, w.writeHeaders)
	assert.Equal(t, 1, w.writes)
}

func TestABodyIsReadInOneGo(t *testing.T) {
	_, body := serveCounting(t, "/api/v1/reads", sixtyIDs())
	// Without a length: one Read for the body, one that finds its end.
	assert.LessOrEqual(t, body.reads, 2)

	// With the Content-Length header the server passes on: one Read.
	w, body := serveCounting(t, "/api/v1/reads", sixtyIDs(), strconv.Itoa(len(sixtyIDs())))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, 1, body.reads)

	// A body cut short of its length is refused, not decoded as it is.
	w, _ = serveCounting(t, "/api/v1/reads", sixtyIDs()[:40], strconv.Itoa(len(sixtyIDs())))
	assert.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
}

// headerWaiter is a ResponseWriter whose Header, a round trip on the
// server, says when it was first asked for.
type headerWaiter struct {
	*httptest.ResponseRecorder
	asked chan struct{}
	once  sync.Once
}

func (w *headerWaiter) Header() http.Header {
	w.once.Do(func() { close(w.asked) })
	return w.ResponseRecorder.Header()
}

// waitingService records reads only once the answer's header was asked for.
type waitingService struct {
	stubService
	asked   chan struct{}
	overlap bool
}

func (s *waitingService) RecordReads(userID string, ids []string) (receipts.ReadResult, error) {
	select {
	case <-s.asked:
		s.overlap = true
	case <-time.After(2 * time.Second):
	}
	return s.stubService.RecordReads(userID, ids)
}

// The answer's header is asked for as the request starts, so that its round
// trip goes on while the request works, not after.
func TestTheHeaderIsAskedForWhileTheRequestWorks(t *testing.T) {
	w := &headerWaiter{ResponseRecorder: httptest.NewRecorder(), asked: make(chan struct{})}
	svc := &waitingService{asked: w.asked}
	h := NewHandler(svc, config.Default, discard{}, nil)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/reads", strings.NewReader(sixtyIDs()))
	req.Header.Set("Mattermost-User-Id", validID)
	h.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.True(t, svc.overlap, "the header was only asked for after the reads were recorded")
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
}
