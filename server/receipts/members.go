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
	// memberIdleAfter drops a channel nobody asked about for this long.
	memberIdleAfter = 10 * time.Minute
)

// present returns the active, non-bot members of a channel by id. The map is
// shared: do not change it.
func (s *Service) present(channelID string) (map[string]Member, error) {
	now := s.now()
	if set, ok, refresh := s.memberCache.get(channelID, now); ok {
		if refresh {
			s.background(func() { s.refreshMembers(channelID) })
		}
		return set, nil
	}
	// One listing per channel at a time: the workers of a batch share it.
	unlock := s.memberLocks.lock(channelID)
	defer unlock()
	if set, ok, _ := s.memberCache.get(channelID, now); ok {
		return set, nil
	}
	return s.listMembers(channelID)
}

// listMembers lists a channel's members into the cache; the caller holds
// the channel's member lock.
func (s *Service) listMembers(channelID string) (map[string]Member, error) {
	s.memberCache.startListing(channelID)
	members, err := s.mm.Members(channelID)
	if err != nil {
		s.memberCache.abortListing(channelID)
		return nil, errors.Wrap(err, "failed to list channel members")
	}
	return s.memberCache.finishListing(channelID, members, s.now()), nil
}

func (s *Service) refreshMembers(channelID string) {
	unlock := s.memberLocks.lock(channelID)
	defer unlock()
	if _, err := s.listMembers(channelID); err != nil {
		s.log.Warn("failed to refresh channel members", "channel_id", channelID, "err", err.Error())
	}
}

// ClusterMembers is the cluster event kind of a membership change; its id is
// a memberChange in text.
const ClusterMembers = "members"

// MemberJoined adds a member to the channel's cached set, here and on the
// other servers.
func (s *Service) MemberJoined(channelID string, m Member) {
	s.changeMembers(memberChange{channelID: channelID, userID: m.UserID, member: &m})
}

// MemberLeft drops the leaver from the channel's cached set and tells the
// authors of the channel's newest tracked posts that the leaver no longer
// counts as unread, for each such post the leaver had not read.
func (s *Service) MemberLeft(channelID, userID string) {
	s.changeMembers(memberChange{channelID: channelID, userID: userID})
	idx, err := s.store.ChannelIndex(channelID)
	if err != nil || idx == nil {
		return
	}
	for _, e := range idx.Tail {
		rec, err := s.store.Post(e.PostID)
		if err != nil || rec == nil {
			continue
		}
		snap, err := s.snapshot(rec.Snapshot)
		if err != nil {
			continue
		}
		if i := recipientIndex(snap, userID); i >= 0 && userID != rec.AuthorID && !rec.Readers.Has(i) {
			s.notifier.touch(e.PostID)
		}
	}
}

// UserDeactivated drops the user from every cached channel, here and on the
// other servers.
func (s *Service) UserDeactivated(userID string) {
	s.changeMembers(memberChange{userID: userID})
}

func (s *Service) changeMembers(c memberChange) {
	s.memberCache.apply(c)
	s.peers.Broadcast(ClusterMembers, c.String())
}

// ClusterEvent applies a change that another server saw.
func (s *Service) ClusterEvent(kind, id string) {
	if kind != ClusterMembers {
		return
	}
	c, ok := parseMemberChange(id)
	if !ok {
		s.log.Warn("ignored an unreadable membership event", "event", id)
		return
	}
	s.memberCache.apply(c)
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
