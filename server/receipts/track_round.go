package receipts

import (
	"github.com/pkg/errors"
	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// A round of posted hooks: the posts of one channel whose hooks run while
// another round of that channel is under way (package rounds). A post alone
// costs about a dozen round trips to the server; a round of any size costs
// about the same: one read of what the hooks need (the setting, the
// opt-outs, the index, every author's watermark), one look at the channel
// and its member count, one index update, one insert of all the records, one
// look at the channel's recent posts, and one implied read per author and
// conversation.

// postsCreated handles a round of one channel's new posts.
func (t *tracker) postsCreated(posts []Post) {
	cfg := t.config()
	channelID := posts[0].ChannelID
	marks := make([]Mark, len(posts))
	for i, p := range posts {
		marks[i] = Mark{MarkID: conversationOf(p).markID, UserID: p.UserID}
	}
	st, err := t.store.NewPostState(channelID, marks)
	if err != nil {
		for _, p := range posts {
			t.log.Error("failed to load what a new post needs", "post_id", p.ID, "err", err.Error())
		}
		return
	}
	pv := privacyFrom(cfg, st.OptOuts)
	setting := func(string) (*ChannelSetting, error) { return st.Setting, nil }
	if t.trackRound(posts, cfg, pv, setting) && st.Index == nil {
		// the channel's first tracked posts, unless another server's came with them
		if st.Index, err = t.store.ChannelIndex(channelID); err != nil {
			t.log.Warn("failed to load channel index", "channel_id", channelID, "err", err.Error())
			return
		}
	}
	t.impliedReads(posts, pv, st)
}

// trackRound tracks the round's posts that ask for receipts and reports
// whether any is tracked. A post that fails is logged; the others go on.
func (t *tracker) trackRound(posts []Post, cfg config.Config, pv privacy, setting settingSource) bool {
	n, _ := t.trackMany(posts, cfg, pv, setting) // each failure is logged
	return n > 0
}

// trackMany tracks those of one channel's posts that ask for receipts, with
// one look at the channel and one index update, and returns how many it
// tracked and the first error (each post's is logged).
func (t *tracker) trackMany(posts []Post, cfg config.Config, pv privacy, setting settingSource) (int, error) {
	facts := &roundFacts{mm: t.mm}
	var prepared []*toTrack
	var first error
	fail := func(postID string, err error) {
		t.log.Error("failed to track post", "post_id", postID, "err", err.Error())
		if first == nil {
			first = err
		}
	}
	for _, p := range posts {
		tp, err := t.prepare(p, cfg, pv, setting, facts)
		if err != nil {
			fail(p.ID, err)
		}
		if tp != nil {
			prepared = append(prepared, tp)
		}
	}
	if len(prepared) == 0 {
		return 0, first
	}
	recs, errs := t.write(posts[0].ChannelID, prepared)
	tracked := 0
	for _, tp := range prepared {
		if err := errs[tp.post.ID]; err != nil {
			fail(tp.post.ID, err)
		}
		if recs[tp.post.ID] != nil {
			t.catchUp.saw(tp.post.ChannelID, tp.post.ID, tp.post.CreateAt)
			tracked++
		}
	}
	return tracked, first
}

// impliedReads records what each author of the round has read by posting:
// the channel's recent posts are tracked once (passing over the author's own
// when the round has one author, as their hooks track them), then each
// author reads each conversation (the channel, or a thread) up to their
// newest post of the round in it, at that post's time: one walk and one
// watermark update, where a post at a time would walk and write for each
// (the reads' times differ by less than the round takes).
func (t *tracker) impliedReads(posts []Post, pv privacy, st NewPostState) {
	if st.Index == nil {
		return // no tracked post in the channel: nothing to read
	}
	reader := posts[0].UserID
	for _, p := range posts {
		if p.UserID != reader {
			reader = ""
		}
	}
	idx := st.Index
	tracked, caughtUp := t.trackRecent(posts[0].ChannelID, reader)
	if caughtUp == nil && tracked > 0 {
		idx, caughtUp = t.store.ChannelIndex(posts[0].ChannelID)
		caughtUp = errors.Wrap(caughtUp, "failed to load channel index")
	}
	for _, i := range newestPerConversation(posts) {
		p := posts[i]
		err := caughtUp // without the catch-up, no implied read: it could miss a post
		if err == nil {
			err = t.readBefore(pv, p.UserID, p, p.CreateAt, idx, st.Watermarks[i])
		}
		if err != nil {
			t.log.Warn("failed to record implied reads", "post_id", p.ID, "user_id", p.UserID, "err", err.Error())
		}
	}
}

// newestPerConversation returns, for each author and conversation of the
// posts, the index of the newest post, in the order they first appear.
func newestPerConversation(posts []Post) []int {
	newest := map[Mark]int{}
	var order []Mark
	for i, p := range posts {
		m := Mark{MarkID: conversationOf(p).markID, UserID: p.UserID}
		j, seen := newest[m]
		if !seen {
			order = append(order, m)
		}
		if !seen || p.CreateAt > posts[j].CreateAt {
			newest[m] = i
		}
	}
	out := make([]int, len(order))
	for k, m := range order {
		out[k] = newest[m]
	}
	return out
}

// roundFacts asks Mattermost about the round's channel once.
type roundFacts struct {
	mm                channelFacts
	channel           *Channel
	channelErr        error
	count             int
	countErr          error
	asked, countAsked bool
}

func (f *roundFacts) Channel(channelID string) (*Channel, error) {
	if !f.asked {
		f.channel, f.channelErr = f.mm.Channel(channelID)
		f.asked = true
	}
	return f.channel, f.channelErr
}

func (f *roundFacts) MemberCount(channelID string) (int, error) {
	if !f.countAsked {
		f.count, f.countErr = f.mm.MemberCount(channelID)
		f.countAsked = true
	}
	return f.count, f.countErr
}
