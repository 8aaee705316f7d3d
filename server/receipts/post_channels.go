package receipts

import "sync"

// maxPostChannels bounds the memo: about 2.5 MB when full.
const maxPostChannels = 20_000

// postChannels remembers the channel of each post whose record this server
// loaded, so that a request can start checking the caller's access while it
// reads the records (two round trips at once instead of one after the
// other). A record's channel never changes: a remembered one is right, or
// the post is gone and the early check goes unused. It only ever starts a
// check; answers come from the records read.
type postChannels struct {
	mu sync.Mutex
	of map[string]string
}

func (p *postChannels) note(postID, channelID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.of == nil || len(p.of) >= maxPostChannels {
		p.of = map[string]string{} // start over: the memo refills as posts are loaded
	}
	p.of[postID] = channelID
}

// channels returns the distinct channels known for the posts, at most max.
func (p *postChannels) channels(postIDs []string, max int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	seen := map[string]bool{}
	for _, id := range postIDs {
		ch, ok := p.of[id]
		if !ok || seen[ch] {
			continue
		}
		if len(out) == max {
			break
		}
		seen[ch] = true
		out = append(out, ch)
	}
	return out
}
