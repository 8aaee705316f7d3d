package api

import (
	"net/http"
)

// getCurve answers GET /posts/{post_id}/curve: the post's cumulative reads
// over time, for its author.
func (h *Handler) getCurve(w http.ResponseWriter, r *http.Request, userID string) {
	postID, err := pathID(r, "post_id")
	if err != nil {
		h.fail(w, err)
		return
	}
	c, err := h.svc.ReadCurve(userID, postID)
	h.answer(w, c, err)
}
