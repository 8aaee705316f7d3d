package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
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

func serveCounting(t *testing.T, path, body string) (*countingWriter, *trickleBody) {
	t.Helper()
	h := NewHandler(&stubService{}, config.Default, discard{}, nil)
	tb := &trickleBody{r: strings.NewReader(body)}
	req := httptest.NewRequest(http.MethodPost, path, nil)
	req.Body = tb
	req.Header.Set("Mattermost-User-Id", validID)
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
	// One Read for the body, one that finds its end.
	assert.LessOrEqual(t, body.reads, 2)
}
