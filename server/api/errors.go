package api

import (
	"encoding/json"
	"net/http"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// errorBody is every error answer: a message for people and a stable id for code.
type errorBody struct {
	Error string `json:"error"`
	ID    string `json:"id"`
}

// statusOf maps domain errors to HTTP statuses. Everything unknown is a 500
// whose details go to the log only.
func statusOf(err error) (int, errorBody) {
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
	case receipts.KindTooLarge:
		return http.StatusRequestEntityTooLarge, body
	case receipts.KindUnauthorized:
		return http.StatusUnauthorized, body
	case receipts.KindTooManyRequests:
		return http.StatusTooManyRequests, body
	}
	return http.StatusInternalServerError, errorBody{Error: "internal error; see the server log", ID: "internal"}
}

// fail writes err as an error answer, logging internal errors.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	status, body := statusOf(err)
	if status == http.StatusInternalServerError {
		h.log.Error("request failed", "err", err.Error())
	}
	writeJSON(w, status, body)
}

// writeError writes a client-facing error with an explicit status.
func writeError(w http.ResponseWriter, err error, status int) {
	_, body := statusOf(err)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
