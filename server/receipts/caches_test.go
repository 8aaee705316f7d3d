package receipts

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemberCacheKeepsChangesSeenDuringAListing(t *testing.T) {
	c := newMemberCache()
	now := time.Now()
	listed := []Member{{UserID: "u", Active: true}, {UserID: "v", Active: true}}

	c.startListing("ch")                                // a listing starts...
	c.apply(memberChange{channelID: "ch", userID: "u"}) // ...u leaves meanwhile...
	c.apply(memberChange{channelID: "ch", userID: "w", member: &Member{UserID: "w", Active: true}})
	c.apply(memberChange{userID: "v"}) // ...and v is deactivated
	set := c.finishListing("ch", listed, now)
	assert.Equal(t, []string{"w"}, keys(set.members), "the list arrives with the changes applied")

	kept, ok, refresh := c.get("ch", now.Add(time.Second))
	require.True(t, ok)
	assert.False(t, refresh)
	c.apply(memberChange{channelID: "ch", userID: "w"})
	assert.Equal(t, []string{"w"}, keys(kept.members), "a set handed out is never changed")
	now2, _, _ := c.get("ch", now)
	assert.Empty(t, now2.members)
	assert.Greater(t, now2.version, kept.version, "a changed set has a new version")
	c.apply(memberChange{channelID: "ch", userID: "w"}) // w has left already
	same, _, _ := c.get("ch", now)
	assert.Equal(t, now2.version, same.version, "a change that changes nothing keeps the version")

	_, _, refresh = c.get("ch", now.Add(memberRefreshAfter+time.Second))
	assert.True(t, refresh, "a stale set asks for one refresh...")
	_, ok, refresh = c.get("ch", now.Add(memberRefreshAfter+2*time.Second))
	assert.True(t, ok)
	assert.False(t, refresh, "...not one per use")
}

func keys(set map[string]Member) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	return out
}
