package receipts

import (
	"strings"
	"time"

	"github.com/pkg/errors"
)

// A channel's members are listed once per server, on the channel's first
// use; from then on the join, leave and deactivation hooks change the cached
// set one user at a time, here and (through cluster events) on the other
// servers. No request waits on a listing once a channel is cached: after
// memberRefreshAfter, the next use starts one listing in the background and
// is answered from the cache meanwhile. That refresh catches what no hook
// reports: a reactivated or renamed user, and, on servers without a license
// (no cluster events), a change made through another server.
const (
	memberRefreshAfter = 10 * time.Second
	// memberRefreshDelay lets the request that found a set stale finish
	// before its refresh starts: listing 10,000 members takes a few
	// milliseconds of CPU that request would otherwise share.
	memberRefreshDelay = 100 * time.Millisecond
	// memberIdleAfter drops a channel nobody asked about for this long.
	memberIdleAfter = 10 * time.Minute
)

// memberSets answers who is in a channel now, for counts and snapshots.
type memberSets struct {
	lister interface {
		Members(channelID string) ([]Member, error)
	}
	peers Cluster
	log   Logger
	now   func() time.Time
	// background runs a task no request waits for.
	background func(task func())
	cache      *memberCache
	// grants are revoked by the changes that may take access away.
	grants *accessGrants
	// locks makes the workers of a batch share one listing of a channel.
	locks stripedLocks
}

// present returns the active, non-bot members of a channel by id. The map is
// shared: do not change it.
func (m *memberSets) present(channelID string) (map[string]Member, error) {
	set, err := m.presentSet(channelID)
	return set.members, err
}

// presentSet is present with the set's version.
func (m *memberSets) presentSet(channelID string) (memberSet, error) {
	now := m.now()
	if set, ok, refresh := m.cache.get(channelID, now); ok {
		if refresh {
			m.background(func() {
				time.Sleep(memberRefreshDelay)
				m.refresh(channelID)
			})
		}
		return set, nil
	}
	unlock := m.locks.lock(channelID)
	defer unlock()
	if set, ok, _ := m.cache.get(channelID, now); ok {
		return set, nil
	}
	return m.list(channelID)
}

// list lists a channel's members into the cache; the caller holds the
// channel's lock.
func (m *memberSets) list(channelID string) (memberSet, error) {
	m.cache.startListing(channelID)
	members, err := m.lister.Members(channelID)
	if err != nil {
		m.cache.abortListing(channelID)
		return memberSet{}, errors.Wrap(err, "failed to list channel members")
	}
	return m.cache.finishListing(channelID, members, m.now()), nil
}

func (m *memberSets) refresh(channelID string) {
	unlock := m.locks.lock(channelID)
	defer unlock()
	if _, err := m.list(channelID); err != nil {
		m.log.Warn("failed to refresh channel members", "channel_id", channelID, "err", err.Error())
	}
}

// change applies a change seen here, and sends it to the other servers.
func (m *memberSets) change(c memberChange) {
	m.grants.revoke(c)
	m.cache.apply(c)
	m.peers.Broadcast(ClusterMembers, c.String())
}

// clusterEvent applies a change that another server saw.
func (m *memberSets) clusterEvent(id string) {
	c, ok := parseMemberChange(id)
	if !ok {
		m.log.Warn("ignored an unreadable membership event", "event", id)
		return
	}
	m.grants.revoke(c)
	m.cache.apply(c)
}

// ClusterMembers is the cluster event kind of a membership change; its id is
// a memberChange in text.
const ClusterMembers = "members"

// MemberJoined adds a member to the channel's cached set, here and on the
// other servers.
func (s *Service) MemberJoined(channelID string, m Member) {
	if m.Active && !m.IsBot {
		s.members.change(memberChange{channelID: channelID, userID: m.UserID, member: &m})
	}
}

// MemberLeft drops the leaver from the channel's cached set and tells the
// authors of the channel's newest tracked posts that the leaver no longer
// counts as unread, for each such post the leaver had not read.
func (s *Service) MemberLeft(channelID, userID string) {
	s.members.change(memberChange{channelID: channelID, userID: userID})
	idx, err := s.store.ChannelIndex(channelID)
	if err != nil || idx == nil {
		return
	}
	ids := make([]string, len(idx.Tail))
	for i, e := range idx.Tail {
		ids[i] = e.PostID
	}
	recs, err := s.store.Posts(ids)
	if err != nil {
		s.log.Warn("failed to load a channel's newest posts after a leave", "channel_id", channelID, "err", err.Error())
		return
	}
	for id, rec := range recs {
		snap, err := s.snapshots.load(rec.Snapshot)
		if err != nil {
			continue
		}
		if i := recipientIndex(snap, userID); i >= 0 && userID != rec.AuthorID && !rec.Readers.Has(i) {
			s.notifier.touch(id)
		}
	}
}

// UserDeactivated drops the user from every cached channel, here and on the
// other servers.
func (s *Service) UserDeactivated(userID string) {
	s.members.change(memberChange{userID: userID})
}

// ServerSettingsChanged forgets which channels callers were lately found
// able to read: a server setting such as compliance mode changes that.
// Every server of a cluster hears of a settings change on its own.
func (s *Service) ServerSettingsChanged() { s.members.grants.clear() }

// ClusterEvent applies a change that another server saw.
func (s *Service) ClusterEvent(kind, id string) {
	if kind == ClusterMembers {
		s.members.clusterEvent(id)
	}
}

// memberChange is one user joining (member set) or leaving (member nil) a
// channel, or, with no channel, leaving every channel (deactivation).
type memberChange struct {
	channelID string
	userID    string
	member    *Member
}

// String is the change as a cluster event id: "join:<channel>:<user>:<username>",
// "leave:<channel>:<user>" or "deactivated:<user>" (ids and usernames hold no colon).
func (c memberChange) String() string {
	switch {
	case c.channelID == "":
		return "deactivated:" + c.userID
	case c.member != nil:
		return "join:" + c.channelID + ":" + c.userID + ":" + c.member.Username
	default:
		return "leave:" + c.channelID + ":" + c.userID
	}
}

func parseMemberChange(s string) (memberChange, bool) {
	parts := strings.Split(s, ":")
	switch {
	case len(parts) == 2 && parts[0] == "deactivated":
		return memberChange{userID: parts[1]}, true
	case len(parts) == 3 && parts[0] == "leave":
		return memberChange{channelID: parts[1], userID: parts[2]}, true
	case len(parts) == 4 && parts[0] == "join":
		m := &Member{UserID: parts[2], Username: parts[3], Active: true}
		return memberChange{channelID: parts[1], userID: parts[2], member: m}, true
	}
	return memberChange{}, false
}
