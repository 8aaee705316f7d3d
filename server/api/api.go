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

// NewHandler builds the router. config returns the current settings.
func NewHandler(svc Service, cfg func() config.Config, log Logger) *Handler {
	h := &Handler{svc: svc, config: cfg, log: log, mux: http.NewServeMux(),
		limit: newLimiter(requestsPerSecond, requestBurst, time.Now)}
	h.route("POST /api/v1/reads", h.postReads)
	h.route("POST /api/v1/channels/{channel_id}/read", h.postChannelRead)
	h.route("POST /api/v1/receipts/query", h.postReceiptsQuery)
	h.route("GET /api/v1/posts/{post_id}/readers", h.getReaders)
	h.route("GET /api/v1/channels/{channel_id}/settings", h.getChannelSettings)
	h.route("PUT /api/v1/channels/{channel_id}/settings", h.putChannelSettings)
	h.route("GET /api/v1/me/settings", h.getMySettings)
	h.route("PUT /api/v1/me/settings", h.putMySettings)
	h.route("GET /api/v1/config", h.getConfig)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, receipts.Invalid("unknown_route", "no such endpoint"), http.StatusNotFound)
	})
	return h
}

// handlerFunc is an endpoint that runs for a signed-in user.
type handlerFunc func(w http.ResponseWriter, r *http.Request, userID string)

func (h *Handler) route(pattern string, fn handlerFunc) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		// The server sets this header only for a valid session (and strips any
		// client copy), including after a failed CSRF check, so absence means 401.
		userID := r.Header.Get("Mattermost-User-Id")
		if userID == "" {
			h.fail(w, receipts.ErrUnauthorized)
			return
		}
		if !h.limit.allow(userID) {
			w.Header().Set("Retry-After", "1")
			h.fail(w, receipts.ErrTooManyRequests)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		fn(w, r, userID)
	})
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) getConfig(w http.ResponseWriter, _ *http.Request, _ string) {
	writeJSON(w, http.StatusOK, h.config().ClientView())
}
