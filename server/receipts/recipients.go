package receipts

import (
	"reflect"
	"sort"
	"strings"
	"sync"
)

// recipientsMemo remembers each channel's last recipient list and its
// snapshot id, so that a post in a 10,000-member channel does not sort and
// hash 10,000 ids when nobody joined, left or changed their privacy choice
// since the channel's previous post. The key is the member set the list came
// from (sets are never changed in place: the same set is the same content;
// the entry holds it, so its address cannot be reused) and the present
// members who do not send receipts.
type recipientsMemo struct {
	mu        sync.Mutex
	byChannel map[string]recipientsEntry
}

type recipientsEntry struct {
	set      map[string]Member
	excluded string
	id       string
	users    []string
}

// maxMemoChannels bounds the memo; past it, an entry is dropped at random.
const maxMemoChannels = 1024

// recipients returns the sorted ids of the present members who send
// receipts, and the snapshot id of that list.
func (m *recipientsMemo) recipients(channelID string, present map[string]Member, pv privacy) (string, []string) {
	excluded := optedOutAmong(present, pv)
	m.mu.Lock()
	e, ok := m.byChannel[channelID]
	m.mu.Unlock()
	if ok && sameSet(e.set, present) && e.excluded == excluded {
		return e.id, e.users
	}
	users := make([]string, 0, len(present))
	for id := range present {
		if !pv.isOptedOut(id) {
			users = append(users, id)
		}
	}
	sort.Strings(users)
	id := snapshotID(users)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byChannel == nil {
		m.byChannel = map[string]recipientsEntry{}
	}
	for k := range m.byChannel {
		if len(m.byChannel) < maxMemoChannels {
			break
		}
		delete(m.byChannel, k)
	}
	m.byChannel[channelID] = recipientsEntry{set: present, excluded: excluded, id: id, users: users}
	return id, users
}

func sameSet(a, b map[string]Member) bool {
	return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer()
}

// optedOutAmong lists, sorted, the present members who do not send receipts.
func optedOutAmong(present map[string]Member, pv privacy) string {
	if pv.all {
		return ""
	}
	var out []string
	for id := range pv.optedOut {
		if _, ok := present[id]; ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
