package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

// Concurrent reads of one post on one server are combined into one
// compare-and-set (group commit): the first reader of a post becomes the
// leader of a group, waits for its turn on the post, and writes every read
// that joined the group meanwhile in one update. So 200 readers at the same
// instant cost a handful of writes, and compare-and-set conflicts only
// happen between servers.

// pendingRead is one reader's part of a group.
type pendingRead struct {
	userID string
	index  int // the reader's place in the post's recipient snapshot
	at     int64
	reason string // after the commit: "" recorded, or why not
	err    error  // after the commit: the read was not written
}

// readGroup is the reads of one post waiting for the same write.
type readGroup struct {
	reads []*pendingRead
	done  chan struct{}
}

// groupCommits collects the groups that are still open to new readers.
type groupCommits struct {
	mu   sync.Mutex
	open map[string]*readGroup
}

// join adds a read to the post's open group and reports whether the caller
// leads it (and so must commit it).
func (g *groupCommits) join(postID string, r *pendingRead) (*readGroup, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open == nil {
		g.open = map[string]*readGroup{}
	}
	grp, ok := g.open[postID]
	if !ok {
		grp = &readGroup{done: make(chan struct{})}
		g.open[postID] = grp
	}
	grp.reads = append(grp.reads, r)
	return grp, !ok
}

// close stops a group from taking more reads.
func (g *groupCommits) close(postID string, grp *readGroup) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open[postID] == grp {
		delete(g.open, postID)
	}
}

// commitRead records one read through the post's group and returns its
// skip reason ("" when recorded).
func (s *Service) commitRead(postID string, r *pendingRead) (string, error) {
	grp, leader := s.commits.join(postID, r)
	if !leader {
		<-grp.done
		return r.reason, r.err
	}
	// Readers who arrive while the previous group of this post is being
	// written join this one.
	unlock := s.postLocks.lock(postID)
	s.commits.close(postID, grp)
	s.writeGroup(postID, grp.reads)
	unlock()
	close(grp.done)
	return r.reason, r.err
}

// writeGroup adds every read of a group to the post, in as few
// compare-and-sets as the chunking allows. A failure fails only the reads
// not written yet.
func (s *Service) writeGroup(postID string, reads []*pendingRead) {
	recorded := false
	for todo := reads; len(todo) > 0; {
		n, added, err := s.writeSome(postID, todo)
		switch {
		case errors.Is(err, ErrNotFound): // deleted meanwhile
			for _, r := range todo {
				r.reason = ReasonNotTracked
			}
			n = len(todo)
		case err != nil:
			for _, r := range todo {
				r.err = errors.Wrap(err, "failed to record read")
			}
			n = len(todo)
		}
		recorded = recorded || added
		todo = todo[n:]
	}
	if recorded {
		s.notifier.touch(postID)
	}
}

// writeSome adds the first reads of todo with one compare-and-set and
// returns how many it decided. It moves a full Tail to a chunk only before
// adding anything: that chunk's content is then the same whichever writer
// of any server moves it, so writing it ahead of the record is harmless even
// when this writer loses the compare-and-set. Reads that would fill Tail
// again wait for the next round.
func (s *Service) writeSome(postID string, todo []*pendingRead) (int, bool, error) {
	decided, added := 0, 0
	err := s.updatePost(postID, func(rec *PostRecord) error {
		decided, added = 0, 0
		flush := func(k int, entries []ReadEntry) error { return s.writeChunk(postID, rec, k, entries) }
		for _, r := range todo {
			if rec.Readers.Has(r.index) {
				r.reason = ReasonAlreadyRead
				decided++
				continue
			}
			if added > 0 && len(rec.Tail) >= ChunkSize {
				break
			}
			if err := rec.addRead(ReadEntry{UserID: r.userID, At: r.at}, flush); err != nil {
				return err
			}
			r.reason = ""
			rec.Readers.Set(r.index)
			rec.ReadCount++
			added++
			decided++
		}
		if added == 0 {
			return ErrNoChange
		}
		return nil
	})
	return decided, added > 0, err
}
