package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pkg/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// stubService answers every call with its fields; it records the last ids.
type stubService struct {
	err     error
	lastIDs []string
	lastQ   receipts.ReaderQuery
	until   int64
}

func (s *stubService) RecordReads(_ string, ids []string) (receipts.ReadResult, error) {
	s.lastIDs = ids
	return receipts.ReadResult{Recorded: ids, Skipped: []receipts.Skipped{}, Failed: []string{"f"}}, s.err
}
func (s *stubService) MarkChannelRead(_, _ string, until int64) (int, error) {
	s.until = until
	return 3, s.err
}
func (s *stubService) QueryReceipts(_ string, ids []string) (receipts.QueryResult, error) {
	s.lastIDs = ids
	return receipts.QueryResult{Receipts: []receipts.Receipt{}, Skipped: []receipts.Skipped{}}, s.err
}
func (s *stubService) Readers(_, _ string, q receipts.ReaderQuery) (receipts.ReaderPage, error) {
	s.lastQ = q
	return receipts.ReaderPage{Users: []receipts.ReaderUser{}}, s.err
}
func (s *stubService) ChannelSettings(_, ch string) (receipts.ChannelSettings, error) {
	return receipts.ChannelSettings{ChannelID: ch}, s.err
}
func (s *stubService) SetChannelEnabled(_, ch string, on bool) (receipts.ChannelSettings, error) {
	return receipts.ChannelSettings{ChannelID: ch, Enabled: on}, s.err
}
func (s *stubService) UserSettings(string) (receipts.UserSettings, error) {
	return receipts.UserSettings{SendReadReceipts: true}, s.err
}
func (s *stubService) SetSendReadReceipts(_ string, send bool) (receipts.UserSettings, error) {
	return receipts.UserSettings{SendReadReceipts: send}, s.err
}

func (s *stubService) ReadCurve(_, postID string) (receipts.Curve, error) {
	return receipts.Curve{PostID: postID, Points: []receipts.CurvePoint{}}, s.err
}

type discard struct{}

func (discard) Error(string, ...any) {}

const validID = "abcdefghijklmnopqrstuvwxyz"

func serve(t *testing.T, svc *stubService, method, path, body string, user bool) (int, map[string]any) {
	t.Helper()
	h := NewHandler(svc, config.Default, discard{}, nil)
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if user {
		req.Header.Set("Mattermost-User-Id", validID)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return rec.Code, out
}

func TestBadInput(t *testing.T) {
	ids := make([]string, 201)
	for i := range ids {
		ids[i] = `"` + validID + `"`
	}
	tooMany := `{"post_ids":[` + strings.Join(ids, ",") + `]}`
	huge := `{"post_ids":["` + strings.Repeat("a", MaxBodyBytes) + `"]}`
	for name, tc := range map[string]struct {
		method, path, body string
		status             int
		id                 string
	}{
		"no session":        {"GET", "/api/v1/config", "", 401, "unauthorized"},
		"malformed json":    {"POST", "/api/v1/reads", `{"post_ids":`, 400, "invalid_json"},
		"wrong type":        {"POST", "/api/v1/reads", `{"post_ids":"x"}`, 400, "invalid_json"},
		"unknown field":     {"POST", "/api/v1/reads", `{"post_ids":[],"postids":[]}`, 400, "invalid_json"},
		"two objects":       {"POST", "/api/v1/reads", `{"post_ids":[]}{}`, 400, "invalid_json"},
		"missing ids":       {"POST", "/api/v1/receipts/query", `{}`, 400, "missing_post_ids"},
		"too many ids":      {"POST", "/api/v1/reads", tooMany, 400, "too_many_posts"},
		"body over 1 MB":    {"POST", "/api/v1/reads", huge, 413, "too_large"},
		"bad path id":       {"GET", "/api/v1/posts/nope/readers", "", 400, "invalid_id"},
		"bad filter":        {"GET", "/api/v1/posts/" + validID + "/readers?filter=all", "", 400, "invalid_filter"},
		"per_page 0":        {"GET", "/api/v1/posts/" + validID + "/readers?per_page=0", "", 400, "invalid_per_page"},
		"per_page 101":      {"GET", "/api/v1/posts/" + validID + "/readers?per_page=101", "", 400, "invalid_per_page"},
		"per_page text":     {"GET", "/api/v1/posts/" + validID + "/readers?per_page=ten", "", 400, "invalid_per_page"},
		"negative until":    {"POST", "/api/v1/channels/" + validID + "/read", `{"until":-1}`, 400, "invalid_until"},
		"enabled missing":   {"PUT", "/api/v1/channels/" + validID + "/settings", `{}`, 400, "missing_enabled"},
		"send missing":      {"PUT", "/api/v1/me/settings", `{"send":false}`, 400, "invalid_json"},
		"unknown endpoint":  {"GET", "/api/v1/nothing", "", 404, "unknown_route"},
		"wrong method":      {"DELETE", "/api/v1/config", "", 405, "method_not_allowed"},
		"GET on reads":      {"GET", "/api/v1/reads", "", 405, "method_not_allowed"},
		"upper-case field":  {"POST", "/api/v1/reads", `{"POST_IDS":["` + validID + `"]}`, 400, "invalid_json"},
		"folded field":      {"POST", "/api/v1/receipts/query", `{"Post_Ids":[]}`, 400, "invalid_json"},
		"duplicate key":     {"POST", "/api/v1/reads", `{"post_ids":[],"post_ids":["` + validID + `"]}`, 400, "invalid_json"},
		"trailing data":     {"POST", "/api/v1/reads", `{"post_ids":[]} x`, 400, "invalid_json"},
		"not an object":     {"POST", "/api/v1/reads", `["` + validID + `"]`, 400, "invalid_json"},
		"per_page signed":   {"GET", "/api/v1/posts/" + validID + "/readers?per_page=%2B5", "", 400, "invalid_per_page"},
		"per_page zero-led": {"GET", "/api/v1/posts/" + validID + "/readers?per_page=05", "", 400, "invalid_per_page"},
		"per_page twice":    {"GET", "/api/v1/posts/" + validID + "/readers?per_page=5&per_page=6", "", 400, "invalid_query"},
		"filter empty":      {"GET", "/api/v1/posts/" + validID + "/readers?filter=", "", 400, "invalid_filter"},
		"filter case":       {"GET", "/api/v1/posts/" + validID + "/readers?filter=Read", "", 400, "invalid_filter"},
		"until fraction":    {"POST", "/api/v1/channels/" + validID + "/read", `{"until":1.5}`, 400, "invalid_json"},
		"until too big":     {"POST", "/api/v1/channels/" + validID + "/read", `{"until":9223372036854775808}`, 400, "invalid_json"},
		"until text":        {"POST", "/api/v1/channels/" + validID + "/read", `{"until":"5"}`, 400, "invalid_json"},
		"until twice":       {"POST", "/api/v1/channels/" + validID + "/read", `{"until":5,"until":6}`, 400, "invalid_json"},
		"enabled folded":    {"PUT", "/api/v1/channels/" + validID + "/settings", `{"Enabled":true}`, 400, "invalid_json"},
		"channel read junk": {"POST", "/api/v1/channels/" + validID + "/read", `[]`, 400, "invalid_json"},
	} {
		t.Run(name, func(t *testing.T) {
			svc := &stubService{}
			status, body := serve(t, svc, tc.method, tc.path, tc.body, name != "no session")
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.id, body["id"])
			assert.NotEmpty(t, body["error"])
			assert.Nil(t, svc.lastIDs, "the domain was not called")
			assert.Zero(t, svc.until, "the domain was not called")
		})
	}
}

func TestGoodInputReachesTheDomain(t *testing.T) {
	svc := &stubService{}
	status, _ := serve(t, svc, "POST", "/api/v1/reads", `{"post_ids":["a","b"]}`, true)
	assert.Equal(t, 200, status)
	assert.Equal(t, []string{"a", "b"}, svc.lastIDs)

	status, _ = serve(t, svc, "GET", "/api/v1/posts/"+validID+"/readers?filter=unread&per_page=5&cursor=c", "", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, receipts.ReaderQuery{Filter: "unread", PerPage: 5, Cursor: "c"}, svc.lastQ)

	status, _ = serve(t, svc, "GET", "/api/v1/posts/"+validID+"/readers", "", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, receipts.ReaderQuery{Filter: "read", PerPage: 100}, svc.lastQ)

	status, body := serve(t, svc, "POST", "/api/v1/channels/"+validID+"/read", "", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, int64(-1), svc.until, "no body means now")
	assert.Equal(t, float64(3), body["recorded"])

	status, body = serve(t, svc, "GET", "/api/v1/config", "", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, "all", body["request_mode"])
}

func TestErrorsMapToStatusWithoutInternals(t *testing.T) {
	for name, tc := range map[string]struct {
		err    error
		status int
		id     string
	}{
		"not found":  {errors.Wrap(receipts.ErrNotFound, "failed to get channel"), 404, "not_found"},
		"forbidden":  {receipts.ErrNoPermission, 403, "no_permission"},
		"hidden":     {receipts.ErrHidden, 403, "hidden_by_privacy"},
		"policy":     {receipts.ErrPolicyLocked, 403, "policy_always_on"},
		"internal":   {errors.New("pq: connection refused at 10.0.0.1"), 500, "internal"},
		"bad cursor": {receipts.ErrInvalidCursor, 400, "invalid_cursor"},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := serve(t, &stubService{err: tc.err}, "GET", "/api/v1/channels/"+validID+"/settings", "", true)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.id, body["id"])
			assert.NotContains(t, body["error"], "10.0.0.1")
		})
	}
}

func TestFailedBatchSaysWhatWasRecorded(t *testing.T) {
	status, body := serve(t, &stubService{err: errors.New("kv down")}, "POST", "/api/v1/reads", `{"post_ids":["a"]}`, true)
	assert.Equal(t, 500, status)
	assert.Equal(t, "internal", body["id"])
	assert.Equal(t, []any{"a"}, body["recorded"])
	assert.Equal(t, []any{"f"}, body["failed"])
}

func TestChannelReadBody(t *testing.T) {
	svc := &stubService{}
	status, _ := serve(t, svc, "POST", "/api/v1/channels/"+validID+"/read", `{"until": 1234}`, true)
	assert.Equal(t, 200, status)
	assert.Equal(t, int64(1234), svc.until)
	status, _ = serve(t, svc, "POST", "/api/v1/channels/"+validID+"/read", " ", true)
	assert.Equal(t, 200, status)
	assert.Equal(t, int64(-1), svc.until)
	status, body := serve(t, svc, "POST", "/api/v1/channels/"+strings.ToUpper(validID)+"/read", "", true)
	assert.Equal(t, 400, status)
	assert.Equal(t, "invalid_id", body["id"])
	big := `{"until": 1` + strings.Repeat(" ", MaxBodyBytes) + `}`
	status, _ = serve(t, svc, "POST", "/api/v1/channels/"+validID+"/read", big, true)
	assert.Equal(t, 413, status)
}

// TestPluginRequestsAreRefused: another plugin calling through the server is
// not a user, whatever user id it sets.
func TestPluginRequestsAreRefused(t *testing.T) {
	svc := &stubService{}
	h := NewHandler(svc, config.Default, discard{}, nil)
	req := httptest.NewRequest("POST", "/api/v1/reads", strings.NewReader(`{"post_ids":["`+validID+`"]}`))
	req.Header.Set("Mattermost-User-Id", validID)
	req.Header.Set("Mattermost-Plugin-ID", "com.example.other")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, 401, rec.Code)
	assert.Contains(t, rec.Body.String(), `"plugin_request_refused"`)
	assert.Nil(t, svc.lastIDs)
}
