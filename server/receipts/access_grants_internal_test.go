package receipts

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A check under way when a leave is seen may have been answered before it:
// its yes is not remembered.
func TestACheckUnderWayDuringALeaveGrantsNothing(t *testing.T) {
	now := time.Unix(1000, 0)
	g := newAccessGrants(func() time.Time { return now })
	epoch := g.checking()
	g.revoke(memberChange{channelID: "c", userID: "u"})
	g.grant("u", "c", epoch)
	assert.False(t, g.has("u", "c"))

	g.grant("u", "c", g.checking())
	assert.True(t, g.has("u", "c"))
	g.revoke(memberChange{channelID: "c", userID: "u", member: &Member{UserID: "u"}})
	assert.True(t, g.has("u", "c"), "a join takes nothing away")
	now = now.Add(grantTTL)
	assert.False(t, g.has("u", "c"), "a grant lasts grantTTL")
}
