package mmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// APIPath is the plugin's HTTP API prefix under the site URL.
const APIPath = "/plugins/" + PluginID + "/api/v1"

// PluginClient calls the plugin's HTTP API with a bearer token (empty: no session).
type PluginClient struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

// NewPluginClient returns a client for SiteURL with the given session or access token.
func NewPluginClient(token string) *PluginClient {
	return &PluginClient{BaseURL: SiteURL() + APIPath, Token: token, HTTP: &http.Client{Timeout: 30 * time.Second}}
}

// Result is a plugin answer: status and raw body.
type Result struct {
	Status int
	Body   []byte
	Header http.Header
}

// Decode decodes the body as JSON into v.
func (r *Result) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("failed to decode %d answer %q: %w", r.Status, truncate(r.Body), err)
	}
	return nil
}

// Map decodes the body as a JSON object.
func (r *Result) Map() (map[string]any, error) {
	var m map[string]any
	err := r.Decode(&m)
	return m, err
}

// String is the status and the (truncated) body, for failure messages.
func (r *Result) String() string {
	return fmt.Sprintf("%d %s", r.Status, truncate(r.Body))
}

// Do sends method path (relative to the API prefix, with any query). body may
// be nil, a []byte / string sent as is, or a value encoded as JSON.
func (c *PluginClient) Do(ctx context.Context, method, path string, body any) (*Result, error) {
	return c.DoWithHeaders(ctx, method, path, body, nil)
}

// DoWithHeaders is Do with extra request headers.
func (c *PluginClient) DoWithHeaders(ctx context.Context, method, path string, body any, headers map[string]string) (*Result, error) {
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		reader = bytes.NewReader(b)
	case string:
		reader = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, reader)
	if err != nil {
		return nil, err
	}
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: failed to read the answer: %w", method, path, err)
	}
	return &Result{Status: resp.StatusCode, Body: data, Header: resp.Header}, nil
}

// Typed calls: each returns the decoded answer when the status is 200, and
// the raw result always (for status and error checks).

// Config calls GET /config.
func (c *PluginClient) Config(ctx context.Context) (Config, *Result, error) {
	return call[Config](ctx, c, http.MethodGet, "/config", nil)
}

// Reads calls POST /reads.
func (c *PluginClient) Reads(ctx context.Context, postIDs ...string) (ReadsResult, *Result, error) {
	return call[ReadsResult](ctx, c, http.MethodPost, "/reads", map[string]any{"post_ids": nonNil(postIDs)})
}

// ReadChannel calls POST /channels/{id}/read; until 0 omits it.
func (c *PluginClient) ReadChannel(ctx context.Context, channelID string, until int64) (ChannelReadResult, *Result, error) {
	body := map[string]any{}
	if until != 0 {
		body["until"] = until
	}
	return call[ChannelReadResult](ctx, c, http.MethodPost, "/channels/"+channelID+"/read", body)
}

// Query calls POST /receipts/query.
func (c *PluginClient) Query(ctx context.Context, postIDs ...string) (QueryResult, *Result, error) {
	return call[QueryResult](ctx, c, http.MethodPost, "/receipts/query", map[string]any{"post_ids": nonNil(postIDs)})
}

// Readers calls GET /posts/{id}/readers; empty filter/cursor and perPage 0 are omitted.
func (c *PluginClient) Readers(ctx context.Context, postID, filter, cursor string, perPage int) (ReadersPage, *Result, error) {
	q := url.Values{}
	if filter != "" {
		q.Set("filter", filter)
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if perPage != 0 {
		q.Set("per_page", strconv.Itoa(perPage))
	}
	path := "/posts/" + postID + "/readers"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return call[ReadersPage](ctx, c, http.MethodGet, path, nil)
}

// ChannelSettings calls GET /channels/{id}/settings.
func (c *PluginClient) ChannelSettings(ctx context.Context, channelID string) (ChannelSettings, *Result, error) {
	return call[ChannelSettings](ctx, c, http.MethodGet, "/channels/"+channelID+"/settings", nil)
}

// SetChannelEnabled calls PUT /channels/{id}/settings.
func (c *PluginClient) SetChannelEnabled(ctx context.Context, channelID string, enabled bool) (ChannelSettings, *Result, error) {
	return call[ChannelSettings](ctx, c, http.MethodPut, "/channels/"+channelID+"/settings", map[string]any{"enabled": enabled})
}

// MeSettings calls GET /me/settings.
func (c *PluginClient) MeSettings(ctx context.Context) (MeSettings, *Result, error) {
	return call[MeSettings](ctx, c, http.MethodGet, "/me/settings", nil)
}

// SetSendReadReceipts calls PUT /me/settings.
func (c *PluginClient) SetSendReadReceipts(ctx context.Context, send bool) (MeSettings, *Result, error) {
	return call[MeSettings](ctx, c, http.MethodPut, "/me/settings", map[string]any{"send_read_receipts": send})
}

func call[T any](ctx context.Context, c *PluginClient, method, path string, body any) (T, *Result, error) {
	var out T
	res, err := c.Do(ctx, method, path, body)
	if err != nil {
		return out, nil, err
	}
	if res.Status == http.StatusOK {
		if err := res.Decode(&out); err != nil {
			return out, res, err
		}
	}
	return out, res, nil
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func truncate(b []byte) string {
	const max = 500
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
