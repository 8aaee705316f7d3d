package receipts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventsGoToTheAuthorCoalesced(t *testing.T) {
	e := newEnv(t) // the notify interval is an hour: only the leading event can be sent
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	p := e.post(ch, alice)
	e.read(bob, p)
	require.Eventually(t, func() bool { return len(e.pub.all()) == 1 }, 5*time.Second, 5*time.Millisecond)
	e.read(carol, p)
	ev := e.pub.all()
	require.Len(t, ev, 1, "the second read waits for the interval")
	assert.Equal(t, alice, ev[0].userID)
	list := ev[0].payload["receipts"].([]any)
	r := list[0].(map[string]any)
	assert.Equal(t, p, r["post_id"])
	assert.Equal(t, 1, r["read_count"])
}

func TestEventsCarryLatestCounts(t *testing.T) {
	e := newEnv(t)
	svc := e.withKV(e.kv) // a second server on the same store, with one-second coalescing
	alice := e.mm.addUser("alice")
	var readers []string
	for i := 0; i < 5; i++ {
		readers = append(readers, e.mm.addUser(fmt.Sprint("r", i)))
	}
	ch := e.mm.addChannel(receipts.ChannelGroup, append([]string{alice}, readers...)...)
	p := e.post(ch, alice)
	for _, r := range readers {
		_, err := svc.RecordReads(r, []string{p})
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		ev := e.pub.all()
		if len(ev) == 0 {
			return false
		}
		last := ev[len(ev)-1].payload["receipts"].([]any)[0].(map[string]any)
		return last["read_count"] == 5 && last["unread_count"] == 0
	}, 10*time.Second, 10*time.Millisecond, "the last event has the final counts")
}

func TestLeaverUpdatesTheAuthorLive(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	group := e.mm.addChannel(receipts.ChannelPrivate, alice, bob, carol)
	p := e.post(group, alice)
	e.mm.leave(group, carol)
	e.svc.MemberLeft(group, carol)
	require.Eventually(t, func() bool { return len(e.pub.all()) == 1 }, 5*time.Second, time.Millisecond)
	r := e.pub.all()[0].payload["receipts"].([]any)[0].(map[string]any)
	assert.Equal(t, p, r["post_id"])
	assert.Equal(t, 1, r["unread_count"], "only bob is still waited for")
}

// receiptsSent counts the receipts carried by receipts events.
func receiptsSent(events []event) int {
	n := 0
	for _, ev := range events {
		if ev.name == receipts.EventReceipts {
			n += len(ev.payload["receipts"].([]any))
		}
	}
	return n
}

// TestEventsAreBatchedPerAuthor: a conversation-level read of many posts
// sends each author one event listing their posts, not one event per post.
func TestEventsAreBatchedPerAuthor(t *testing.T) {
	e := newEnv(t)
	alice, bob, carol := e.mm.addUser("alice"), e.mm.addUser("bob"), e.mm.addUser("carol")
	ch := e.mm.addChannel(receipts.ChannelGroup, alice, bob, carol)
	for range 30 {
		e.post(ch, alice)
		e.post(ch, bob)
	}
	_, err := e.svc.MarkChannelRead(carol, ch, -1)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return receiptsSent(e.pub.all()) == 60 }, 5*time.Second, time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	perAuthor := map[string]int{}
	for _, ev := range e.pub.all() {
		perAuthor[ev.userID]++
	}
	t.Logf("events per author for 30 posts each: %v", perAuthor)
	// One each, unless the machine is so slow that the read outlasts a batch;
	// without batching it would be 30 each.
	assert.LessOrEqual(t, perAuthor[alice], 10)
	assert.LessOrEqual(t, perAuthor[bob], 10)
}
