package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

func serveRaw(svc *stubService, method, path, body string) *httptest.ResponseRecorder {
	h := NewHandler(svc, config.Default, discard{}, nil)
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Mattermost-User-Id", validID)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestWrongMethodIs405(t *testing.T) {
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/reads"},
		{http.MethodDelete, "/api/v1/channels/" + validID + "/settings"},
		{http.MethodPost, "/api/v1/posts/" + validID + "/readers"},
	} {
		rec := serveRaw(&stubService{}, tc.method, tc.path, "")
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, "%s %s", tc.method, tc.path)
		assert.Contains(t, rec.Body.String(), `"id":"method_not_allowed"`)
	}
	assert.Equal(t, http.StatusNotFound, serveRaw(&stubService{}, http.MethodGet, "/api/v1/nothing", "").Code)
}

func TestBusyIs503WithRetryAfter(t *testing.T) {
	busy := errors.Wrap(receipts.ErrBusy, "failed to record read")
	for _, path := range []string{"/api/v1/reads", "/api/v1/receipts/query"} {
		rec := serveRaw(&stubService{err: busy}, http.MethodPost, path, `{"post_ids":["`+validID+`"]}`)
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code, path)
		assert.Equal(t, "1", rec.Header().Get("Retry-After"), path)
		assert.Contains(t, rec.Body.String(), `"id":"busy"`, path)
	}
}
