// Package api is the plugin's HTTP surface under /api/v1: routing, the
// session-user middleware, request decoding and the one place where errors
// become status codes. Handlers parse, call the domain and write the answer.
package api

import (
	"net/http"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// MaxBodyBytes caps every request body.
const MaxBodyBytes = 1 << 20

// Service is what the HTTP layer needs from the domain.
type Service interface {
	RecordReads(userID string, postIDs []string) (receipts.ReadResult, error)
	MarkChannelRead(userID, channelID string, until int64) (int, error)
	QueryReceipts(userID string, postIDs []string) (receipts.QueryResult, error)
	Readers(userID, postID string, q receipts.ReaderQuery) (receipts.ReaderPage, error)
	ChannelSettings(userID, channelID string) (receipts.ChannelSettings, error)
	SetChannelEnabled(userID, channelID string, enabled bool) (receipts.ChannelSettings, error)
	UserSettings(userID string) (receipts.UserSettings, error)
	SetSendReadReceipts(userID string, send bool) (receipts.UserSettings, error)
	ReadCurve(userID, postID string) (receipts.Curve, error)
}

// Logger is the structured logger the handlers report internal errors to.
type Logger interface {
	Error(msg string, keyValuePairs ...any)
}

// Handler serves the plugin's HTTP API.
type Handler struct {
	svc    Service
	config func() config.Config
	log    Logger
	mux    *http.ServeMux
	limit  *limiter
}

// NewHandler builds the router. config returns the current settings; usage
// is where servers add up each user's request cost (nil: this server only).
func NewHandler(svc Service, cfg func() config.Config, log Logger, usage UsageCounter) *Handler {
	h := &Handler{svc: svc, config: cfg, log: log, mux: http.NewServeMux(),
		limit: newLimiter(costPerSecond, costBurst, time.Now, usage)}
	h.route("POST /api/v1/reads", h.postReads)
	h.route("POST /api/v1/channels/{channel_id}/read", h.postChannelRead)
	h.route("POST /api/v1/receipts/query", h.postReceiptsQuery)
	h.route("GET /api/v1/posts/{post_id}/readers", h.getReaders)
	h.route("GET /api/v1/posts/{post_id}/curve", h.getCurve)
	h.route("GET /api/v1/channels/{channel_id}/settings", h.getChannelSettings)
	h.route("PUT /api/v1/channels/{channel_id}/settings", h.putChannelSettings)
	h.route("GET /api/v1/me/settings", h.getMySettings)
	h.route("PUT /api/v1/me/settings", h.putMySettings)
	h.route("GET /api/v1/config", h.getConfig)
	h.mux.HandleFunc("/", h.noRoute)
	return h
}

// handlerFunc is an endpoint that runs for a signed-in user.
type handlerFunc func(w http.ResponseWriter, r *http.Request, userID string)

func (h *Handler) route(pattern string, fn handlerFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		// Another plugin calling through the server may set any user id it
		// likes on servers that pass its headers through: never a user's request.
		if r.Header.Get("Mattermost-Plugin-ID") != "" {
			h.fail(w, errPluginRequest)
			return
		}
		// The server sets this header only for a valid session (and strips any
		// client copy), including after a failed CSRF check, so absence means 401.
		userID := r.Header.Get("Mattermost-User-Id")
		if userID == "" {
			h.fail(w, errUnauthorized)
			return
		}
		if !h.charge(w, userID, 1) {
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		fn(w, r, userID)
	})
}

// charge takes cost from the user's request budget, answering 429 when it
// is spent. Every request costs one; batches also pay for their ids.
func (h *Handler) charge(w http.ResponseWriter, userID string, cost int) bool {
	if cost <= 0 || h.limit.allow(userID, cost) {
		return true
	}
	h.fail(w, errTooManyRequests)
	return false
}

// noRoute answers 405 for a known path with another method, else 404.
func (h *Handler) noRoute(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
		other := r.Clone(r.Context())
		other.Method = m
		if _, pattern := h.mux.Handler(other); m != r.Method && pattern != "/" {
			h.fail(w, errWrongMethod)
			return
		}
	}
	writeError(w, receipts.Invalid("unknown_route", "no such endpoint"), http.StatusNotFound)
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e := withEarlyHeader(w)
	defer e.wait() // the writer is the server's only while ServeHTTP runs
	h.mux.ServeHTTP(e, r)
}

func (h *Handler) getConfig(w http.ResponseWriter, _ *http.Request, _ string) {
	writeJSON(w, http.StatusOK, h.config().ClientView())
}
