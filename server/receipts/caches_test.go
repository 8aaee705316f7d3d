package receipts

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMemberCacheDropsAFetchThatOverlappedAForget(t *testing.T) {
	c := newMemberCache(time.Minute)
	now := time.Now()
	members := []Member{{UserID: "u", Active: true}}

	gen := c.generation() // a fetch starts...
	c.forget("ch")        // ...someone leaves meanwhile...
	e := c.put("ch", members, now, gen)
	assert.Contains(t, e.present, "u", "the caller still gets what it fetched")
	_, ok := c.get("ch", now)
	assert.False(t, ok, "...so the fetched list is not kept")

	c.put("ch", members, now, c.generation())
	_, ok = c.get("ch", now)
	assert.True(t, ok)
	_, ok = c.get("ch", now.Add(2*time.Minute))
	assert.False(t, ok, "entries expire")
}
