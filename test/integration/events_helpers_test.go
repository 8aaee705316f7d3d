package integration

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/readreceipts/mattermost-plugin-readreceipts/test/integration/mmtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventReceipts decodes the receipts of a custom_readreceipts_receipts event.
func eventReceipts(t *testing.T, ev *model.WebSocketEvent) []mmtest.Receipt {
	t.Helper()
	data, err := json.Marshal(ev.GetData())
	require.NoError(t, err)
	var payload struct {
		Receipts []mmtest.Receipt `json:"receipts"`
	}
	require.NoError(t, json.Unmarshal(data, &payload), "receipts event payload %s", data)
	return payload.Receipts
}

// receiptIn matches a receipts event carrying postID whose receipt passes cond (nil: any).
func receiptIn(postID string, cond func(mmtest.Receipt) bool) func(*model.WebSocketEvent) bool {
	return func(ev *model.WebSocketEvent) bool {
		data, err := json.Marshal(ev.GetData())
		if err != nil {
			return false
		}
		var payload struct {
			Receipts []mmtest.Receipt `json:"receipts"`
		}
		if json.Unmarshal(data, &payload) != nil {
			return false
		}
		for _, r := range payload.Receipts {
			if r.PostID == postID && (cond == nil || cond(r)) {
				return true
			}
		}
		return false
	}
}

// waitReceiptEvent waits for a receipts event for postID passing cond.
func waitReceiptEvent(t *testing.T, u *mmtest.User, postID string, timeout time.Duration, cond func(mmtest.Receipt) bool) mmtest.Receipt {
	t.Helper()
	ev, err := u.WS(t).WaitFor(mmtest.EventReceipts, timeout, receiptIn(postID, cond))
	require.NoError(t, err, "receipts event for %s to %s", postID, u.Username)
	for _, r := range eventReceipts(t, ev) {
		if r.PostID == postID {
			return r
		}
	}
	t.Fatalf("unreachable: event without %s", postID)
	return mmtest.Receipt{}
}

// assertNoEvent checks that none of the users received a matching event: it
// listens quiet long on the first and then looks at what the others got by then.
func assertNoEvent(t *testing.T, name string, match func(*model.WebSocketEvent) bool, users ...*mmtest.User) {
	t.Helper()
	for i, u := range users {
		within := time.Duration(0)
		if i == 0 {
			within = quiet
		}
		assert.NoError(t, u.WS(t).NotReceived(name, within, match), "to %s", u.Username)
	}
}
