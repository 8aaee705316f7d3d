package receipts_test

import (
	"fmt"
	"sort"
	"sync"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// fakePlatform is an in-memory Mattermost: channels, members, posts.
type fakePlatform struct {
	mu          sync.Mutex
	channels    map[string]*receipts.Channel
	members     map[string]map[string]bool // channel -> user -> member
	users       map[string]*receipts.Member
	admins      map[string]bool // users who may manage any channel
	posts       map[string]*receipts.Post
	views       map[string]map[string]int64 // channel -> user -> last viewed
	viewCalls   int
	listed      int // posts PostsSince returned
	accessErr   error
	noDigests   bool // a platform without a database handle
	digestCalls int
	listings    int           // calls of Members
	listGate    chan struct{} // when set, Members waits for it to close
}

func newFakePlatform() *fakePlatform {
	return &fakePlatform{
		channels: map[string]*receipts.Channel{},
		members:  map[string]map[string]bool{},
		users:    map[string]*receipts.Member{},
		admins:   map[string]bool{},
		posts:    map[string]*receipts.Post{},
		views:    map[string]map[string]int64{},
	}
}

var idCounter struct {
	sync.Mutex
	n int
}

// newID returns a valid-looking 26-character Mattermost id.
func newID() string {
	idCounter.Lock()
	defer idCounter.Unlock()
	idCounter.n++
	return fmt.Sprintf("id%024d", idCounter.n)
}

func (f *fakePlatform) addUser(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := newID()
	f.users[id] = &receipts.Member{UserID: id, Username: name, Active: true}
	return id
}

// addUsers adds n users named by format (given 0..n-1), in that order.
func (f *fakePlatform) addUsers(n int, format string) []string {
	users := make([]string, n)
	for i := range users {
		users[i] = f.addUser(fmt.Sprintf(format, i))
	}
	return users
}

func (f *fakePlatform) addChannel(typ string, users ...string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := newID()
	f.channels[id] = &receipts.Channel{ID: id, Type: typ}
	f.members[id] = map[string]bool{}
	for _, u := range users {
		f.members[id][u] = true
	}
	return id
}

func (f *fakePlatform) join(channelID, userID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.members[channelID][userID] = true
}

// member is the user as the join hook reports them.
func (f *fakePlatform) member(userID string) receipts.Member {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.users[userID]
}

func (f *fakePlatform) listingCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.listings
}

func (f *fakePlatform) leave(channelID, userID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.members[channelID], userID)
}

func (f *fakePlatform) view(channelID, userID string, at int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.views[channelID] == nil {
		f.views[channelID] = map[string]int64{}
	}
	f.views[channelID][userID] = at
}

func (f *fakePlatform) addPost(p receipts.Post) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posts[p.ID] = &p
}

// remove deletes a post, as Mattermost does before the deleted hook.
func (f *fakePlatform) remove(postID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.posts, postID)
}

func (f *fakePlatform) Post(postID string) (*receipts.Post, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.posts[postID]
	if !ok {
		return nil, receipts.ErrNotFound
	}
	cp := *p
	return &cp, nil
}

func (f *fakePlatform) Channel(channelID string) (*receipts.Channel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, ok := f.channels[channelID]
	if !ok {
		return nil, receipts.ErrNotFound
	}
	cp := *ch
	return &cp, nil
}

func (f *fakePlatform) CanReadChannel(userID, channelID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.accessErr != nil {
		return false, f.accessErr
	}
	ch := f.channels[channelID]
	return ch != nil && (f.members[channelID][userID] || ch.Type == receipts.ChannelOpen || f.admins[userID]), nil
}

// failAccess makes every access check fail with err (nil: succeed again).
func (f *fakePlatform) failAccess(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accessErr = err
}

func (f *fakePlatform) CanManageChannel(userID, _ string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.admins[userID]
}

func (f *fakePlatform) IsMember(userID, channelID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.members[channelID][userID], nil
}

func (f *fakePlatform) Members(channelID string) ([]receipts.Member, error) {
	f.mu.Lock()
	gate := f.listGate
	f.listings++
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []receipts.Member
	for u := range f.members[channelID] {
		out = append(out, *f.users[u])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}

func (f *fakePlatform) MemberCount(channelID string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.members[channelID]), nil
}

func (f *fakePlatform) ChannelViews(channelID string) ([]receipts.View, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.viewCalls++
	var all []receipts.View
	for u := range f.members[channelID] {
		all = append(all, receipts.View{UserID: u, LastViewedAt: f.views[channelID][u]})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].UserID < all[j].UserID })
	return all, nil
}

func (f *fakePlatform) ViewDigests(channelIDs []string) (map[string]receipts.ViewDigest, bool, error) {
	f.mu.Lock()
	f.digestCalls++
	f.mu.Unlock()
	return f.digests(channelIDs)
}

func (f *fakePlatform) ViewsTotal(channelIDs []string) (receipts.ViewDigest, bool, error) {
	d, ok, err := f.digests(channelIDs)
	var total receipts.ViewDigest
	for _, one := range d {
		total.Members += one.Members
		total.Sum += one.Sum
		total.LastPostAt += one.LastPostAt
	}
	return total, ok, err
}

func (f *fakePlatform) digests(channelIDs []string) (map[string]receipts.ViewDigest, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noDigests {
		return nil, false, nil
	}
	out := map[string]receipts.ViewDigest{}
	for _, ch := range channelIDs {
		d := receipts.ViewDigest{}
		for u := range f.members[ch] {
			d.Members++
			d.Sum += f.views[ch][u]
		}
		for _, p := range f.posts {
			if p.ChannelID == ch {
				d.LastPostAt = max(d.LastPostAt, p.CreateAt)
			}
		}
		out[ch] = d
	}
	return out, true, nil
}

func (f *fakePlatform) Users(ids []string) ([]receipts.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []receipts.User
	for _, id := range ids {
		if u, ok := f.users[id]; ok {
			out = append(out, receipts.User{ID: id, Username: u.Username})
		}
	}
	return out, nil
}

func (f *fakePlatform) PostsSince(channelID string, since int64, except string) ([]receipts.Post, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []receipts.Post
	for _, p := range f.posts {
		if p.ChannelID == channelID && p.CreateAt >= since && p.UserID != except {
			f.listed++
			out = append(out, *p)
		}
	}
	return out, nil
}

func (f *fakePlatform) viewCallCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.viewCalls
}

func (f *fakePlatform) digestCallCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.digestCalls
}
