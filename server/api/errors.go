package api

import (
	"encoding/json"
	"net/http"

	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// errorBody is every error answer: a message for people and a stable id for code.
type errorBody struct {
	Error string `json:"error"`
	ID    string `json:"id"`
}

// httpError is a transport-level refusal (session, size, rate, caller
// kind): the HTTP layer's own, not the domain's.
type httpError struct {
	status  int
	id      string
	message string
}

func (e *httpError) Error() string { return e.message }

// The HTTP layer's own refusals.
var (
	errUnauthorized    = &httpError{http.StatusUnauthorized, "unauthorized", "a signed-in session is required"}
	errPluginRequest   = &httpError{http.StatusUnauthorized, "plugin_request_refused", "requests from other plugins are not accepted"}
	errBodyTooLarge    = &httpError{http.StatusRequestEntityTooLarge, "too_large", "the request body is larger than 1 MB"}
	errTooManyRequests = &httpError{http.StatusTooManyRequests, "too_many_requests", "too many requests; try again in a second"}
	errWrongMethod     = &httpError{http.StatusMethodNotAllowed, "method_not_allowed", "this endpoint does not take that method"}
)

// statusOf maps errors to HTTP statuses. Everything unknown is a 500 whose
// details go to the log only.
func statusOf(err error) (int, errorBody) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, errorBody{Error: he.message, ID: he.id}
	}
	e, ok := receipts.AsError(err)
	if !ok {
		return http.StatusInternalServerError, errorBody{Error: "internal error; see the server log", ID: "internal"}
	}
	body := errorBody{Error: e.Message, ID: e.ID}
	switch e.Kind {
	case receipts.KindInvalid:
		return http.StatusBadRequest, body
	case receipts.KindNotFound:
		return http.StatusNotFound, body
	case receipts.KindForbidden:
		return http.StatusForbidden, body
	case receipts.KindBusy:
		return http.StatusServiceUnavailable, body
	}
	return http.StatusInternalServerError, errorBody{Error: "internal error; see the server log", ID: "internal"}
}

// fail writes err as an error answer, logging internal errors.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	status, body := statusOf(err)
	switch status {
	case http.StatusInternalServerError:
		h.log.Error("request failed", "err", err.Error())
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, body)
}

// writeError writes a client-facing error with an explicit status.
func writeError(w http.ResponseWriter, err error, status int) {
	_, body := statusOf(err)
	writeJSON(w, status, body)
}

// writeJSON answers v with status. The plugin's ResponseWriter is remote
// (WriteHeader and Write cost two RPCs each), so a 200 leaves its status to
// the first Write and the body goes in one Write.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"internal error; see the server log","id":"internal"}`)
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	_, _ = w.Write(append(data, '\n'))
}
