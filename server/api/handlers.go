package api

import (
	"net/http"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// channelReadCost is what POST /channels/{id}/read counts against the
// caller's budget: it may walk many tracked posts.
const channelReadCost = 50

func (h *Handler) postReads(w http.ResponseWriter, r *http.Request, userID string) {
	ids, err := postIDs(r)
	if err != nil {
		h.fail(w, err)
		return
	}
	if !h.charge(w, userID, len(ids)-1) {
		return
	}
	res, err := h.svc.RecordReads(userID, ids)
	if err != nil {
		h.failBatch(w, err, res)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// failBatch answers a batch that failed midway: every post is either fully
// recorded or not at all, and the answer lists which were.
func (h *Handler) failBatch(w http.ResponseWriter, err error, res receipts.ReadResult) {
	status, body := statusOf(err)
	if status != http.StatusInternalServerError {
		h.fail(w, err)
		return
	}
	h.log.Error("failed to record reads", "err", err.Error())
	writeJSON(w, status, struct {
		errorBody
		receipts.ReadResult
		Failed []string `json:"failed"`
	}{body, res, res.Failed})
}

func (h *Handler) postChannelRead(w http.ResponseWriter, r *http.Request, userID string) {
	channelID, err := pathID(r, "channel_id")
	if err != nil {
		h.fail(w, err)
		return
	}
	var body struct {
		Until *int64 `json:"until"`
	}
	// The plugin RPC drops Content-Length, so an empty body shows up as EOF.
	if err = decodeOptional(r, &body); err != nil {
		h.fail(w, err)
		return
	}
	until := int64(-1)
	if body.Until != nil {
		until = *body.Until
		if until < 0 {
			h.fail(w, receipts.Invalid("invalid_until", "until must not be negative"))
			return
		}
	}
	if !h.charge(w, userID, channelReadCost-1) {
		return
	}
	n, err := h.svc.MarkChannelRead(userID, channelID, until)
	h.answer(w, map[string]int{"recorded": n}, err)
}

func (h *Handler) postReceiptsQuery(w http.ResponseWriter, r *http.Request, userID string) {
	ids, err := postIDs(r)
	if err != nil {
		h.fail(w, err)
		return
	}
	if !h.charge(w, userID, len(ids)-1) {
		return
	}
	res, err := h.svc.QueryReceipts(userID, ids)
	h.answer(w, res, err)
}

func (h *Handler) getReaders(w http.ResponseWriter, r *http.Request, userID string) {
	postID, err := pathID(r, "post_id")
	if err != nil {
		h.fail(w, err)
		return
	}
	q, err := readerQuery(r)
	if err != nil {
		h.fail(w, err)
		return
	}
	page, err := h.svc.Readers(userID, postID, q)
	h.answer(w, page, err)
}

func (h *Handler) getChannelSettings(w http.ResponseWriter, r *http.Request, userID string) {
	channelID, err := pathID(r, "channel_id")
	if err != nil {
		h.fail(w, err)
		return
	}
	s, err := h.svc.ChannelSettings(userID, channelID)
	h.answer(w, s, err)
}

func (h *Handler) putChannelSettings(w http.ResponseWriter, r *http.Request, userID string) {
	channelID, err := pathID(r, "channel_id")
	if err != nil {
		h.fail(w, err)
		return
	}
	var body struct {
		Enabled *bool `json:"enabled"`
	}
	if err = decode(r, &body); err != nil {
		h.fail(w, err)
		return
	}
	if body.Enabled == nil {
		h.fail(w, receipts.Invalid("missing_enabled", "enabled is required"))
		return
	}
	s, err := h.svc.SetChannelEnabled(userID, channelID, *body.Enabled)
	h.answer(w, s, err)
}

func (h *Handler) getMySettings(w http.ResponseWriter, _ *http.Request, userID string) {
	s, err := h.svc.UserSettings(userID)
	h.answer(w, s, err)
}

func (h *Handler) putMySettings(w http.ResponseWriter, r *http.Request, userID string) {
	var body struct {
		Send *bool `json:"send_read_receipts"`
	}
	if err := decode(r, &body); err != nil {
		h.fail(w, err)
		return
	}
	if body.Send == nil {
		h.fail(w, receipts.Invalid("missing_send_read_receipts", "send_read_receipts is required"))
		return
	}
	s, err := h.svc.SetSendReadReceipts(userID, *body.Send)
	h.answer(w, s, err)
}

// answer writes v, or the error if there is one.
func (h *Handler) answer(w http.ResponseWriter, v any, err error) {
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
