package receipts

import (
	"sync"

	"github.com/pkg/errors"
)

// Reads are written by group commit, server-wide: a read joins the queue of
// reads waiting to be written; if no write is under way, its reader becomes
// the writer and writes everything queued (every post, every reader of
// each) with one UpdatePosts, then whatever queued meanwhile, until the queue
// is empty. So 200 readers of one post at the same instant cost a handful of
// writes, a batch of 60 posts costs one compare-and-set statement when the
// KV can do that, and compare-and-set conflicts only happen between servers.

// pendingRead is one read waiting to be written.
type pendingRead struct {
	postID string
	userID string
	index  int // the reader's place in the post's recipient snapshot
	at     int64
	reason string // after the commit: "" recorded, or why not
	err    error  // after the commit: the read was not written
	done   chan struct{}
}

// committer is the group commit: the reads waiting for the next write, and
// what it needs to write them.
type committer struct {
	mu      sync.Mutex
	pending map[string][]*pendingRead // by post
	writing bool

	// update is UpdatePosts on unpacked records; writeChunk stores a full
	// chunk of a post's reads; recorded is told of each post that got a read.
	update     func(postIDs []string, fn func(postID string, rec *PostRecord) error) map[string]error
	updateIf   func(b Remembered, postIDs []string, fn func(postID string, rec *PostRecord) error) map[string]bool
	writeChunk func(postID string, rec *PostRecord, k int, entries []ReadEntry) error
	recorded   func(postID string)
	// background runs the writer once the reader who led it has its answer.
	background func(task func())
}

// commit writes reads (of different posts, or not) and waits until each
// is decided. It returns once all are.
func (q *committer) commit(reads []*pendingRead) {
	q.mu.Lock()
	if q.pending == nil {
		q.pending = map[string][]*pendingRead{}
	}
	for _, r := range reads {
		r.done = make(chan struct{})
		q.pending[r.postID] = append(q.pending[r.postID], r)
	}
	lead := !q.writing
	q.writing = true
	q.mu.Unlock()
	if lead {
		q.writeQueued(reads)
	}
	for _, r := range reads {
		<-r.done
	}
}

// writeAlone writes reads of distinct posts, decided on the records and
// opt-outs this server remembers (b), with one statement that holds only
// while the opt-outs are still b's; each record's write also needs it to be
// unchanged. It does so only when no write is under way or waiting here:
// under load the reads go the usual way and share a round. It returns the
// reads it did not write, untouched, to be decided again on what is stored.
func (q *committer) writeAlone(reads []*pendingRead, b Remembered) []*pendingRead {
	q.mu.Lock()
	if q.writing || len(q.pending) > 0 {
		q.mu.Unlock()
		return reads
	}
	q.writing = true
	q.mu.Unlock()
	defer q.handOver()
	byPost := make(map[string]*pendingRead, len(reads))
	ids := make([]string, 0, len(reads))
	for _, r := range reads {
		byPost[r.postID] = r
		ids = append(ids, r.postID)
	}
	written := q.updateIf(b, ids, func(postID string, rec *PostRecord) error {
		_, err := q.addReads(postID, rec, []*pendingRead{byPost[postID]})
		return err
	})
	var left []*pendingRead
	for _, r := range reads {
		if !written[r.postID] {
			left = append(left, r)
			continue
		}
		r.reason, r.done = "", make(chan struct{})
		q.finish(r.postID, []*pendingRead{r})
	}
	return left
}

// idle reports whether no write is under way or waiting here: a hint, which
// writeAlone checks again.
func (q *committer) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return !q.writing && len(q.pending) == 0
}

// handOver ends a writer's turn: reads that queued meanwhile get a
// background writer, and with none the next read writes at once.
func (q *committer) handOver() {
	q.mu.Lock()
	if len(q.pending) == 0 {
		q.writing = false
		q.mu.Unlock()
		return
	}
	q.mu.Unlock()
	q.background(func() { q.writeQueued(nil) })
}

// writeQueued writes rounds of queued reads until none are left. A reader
// who leads writes until its own reads are decided, then hands the rest to a
// background writer: under steady load it would otherwise write other
// people's reads forever before answering.
func (q *committer) writeQueued(mine []*pendingRead) {
	for {
		q.mu.Lock()
		round := q.pending
		q.pending = map[string][]*pendingRead{}
		if len(round) == 0 {
			q.writing = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		q.writeRound(round)
		if mine != nil && allDone(mine) {
			q.handOver()
			return
		}
	}
}

func allDone(reads []*pendingRead) bool {
	for _, r := range reads {
		select {
		case <-r.done:
		default:
			return false
		}
	}
	return true
}

// writeRound adds the reads of a round to their posts. A read that did not
// fit (its post's Tail filled up) goes back to the queue for the next round.
func (q *committer) writeRound(round map[string][]*pendingRead) {
	ids := make([]string, 0, len(round))
	for id := range round {
		ids = append(ids, id)
	}
	decided := map[string]int{}
	var mu sync.Mutex
	errs := q.update(ids, func(postID string, rec *PostRecord) error {
		n, err := q.addReads(postID, rec, round[postID])
		mu.Lock()
		decided[postID] = n
		mu.Unlock()
		return err
	})
	var again []*pendingRead
	for _, id := range ids {
		reads, err := round[id], errs[id]
		n := decided[id]
		switch {
		case errors.Is(err, ErrNotFound): // deleted meanwhile
			n = fail(reads, ReasonNotTracked, nil)
		case err != nil:
			n = fail(reads, "", errors.Wrap(err, "failed to record read"))
		}
		q.finish(id, reads[:n])
		again = append(again, reads[n:]...)
	}
	if len(again) > 0 {
		q.requeue(again)
	}
}

func fail(reads []*pendingRead, reason string, err error) int {
	for _, r := range reads {
		r.reason, r.err = reason, err
	}
	return len(reads)
}

// finish tells the post's decided readers, and the author when one was recorded.
func (q *committer) finish(postID string, reads []*pendingRead) {
	recorded := false
	for _, r := range reads {
		recorded = recorded || (r.reason == "" && r.err == nil)
		close(r.done)
	}
	if recorded {
		q.recorded(postID)
	}
}

func (q *committer) requeue(reads []*pendingRead) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, r := range reads {
		q.pending[r.postID] = append(q.pending[r.postID], r)
	}
}

// addReads adds the first reads of todo to the record and returns how many
// it decided. It moves a full Tail to a chunk only before adding anything:
// that chunk's content is then the same whichever writer of any server moves
// it, so writing it ahead of the record is harmless even when this writer
// loses the compare-and-set. Reads that would fill Tail again wait for the
// next round. It may run again on a fresher record: it starts over each time.
func (q *committer) addReads(postID string, rec *PostRecord, todo []*pendingRead) (int, error) {
	decided, added := 0, 0
	flush := func(k int, entries []ReadEntry) error { return q.writeChunk(postID, rec, k, entries) }
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
			return 0, err
		}
		r.reason = ""
		rec.Readers.Set(r.index)
		rec.ReadCount++
		added++
		decided++
	}
	if added == 0 {
		return decided, ErrNoChange
	}
	return decided, nil
}
