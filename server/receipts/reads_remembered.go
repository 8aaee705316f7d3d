package receipts

// A batch of reads usually costs two statements: one to read the posts'
// records and the opt-outs, one to write the reads. When this server
// remembers all of them (it read or wrote them last) and nothing else is
// being written here, the batch is decided on what it remembers and written
// with one statement, which holds only if, when it runs, the opt-outs are
// still what the decision was made on and each record is still what it was
// decided on. A post it does not write is decided again the usual way.

// recordRemembered records the batch on what this server remembers, if it
// can, and returns the posts whose read it wrote. Only a batch where every
// post gets a read qualifies: "nothing to do" (already read, not a recipient,
// opted out...) is never decided on remembered values.
func (rc *recorder) recordRemembered(access *accessCache, userID string, ids []string) map[string]bool {
	if len(validIDs(ids)) != len(ids) || !rc.commits.idle() {
		return nil // under load the reads share a round the usual way
	}
	b, ok := rc.store.RememberedBatch(ids)
	if !ok {
		return nil
	}
	pv := privacyFrom(rc.config(), b.OptOuts)
	loaded := rc.records.loaded(b.Posts, nil) // unpacks b.Posts in place
	now := rc.now()
	reads := make([]*pendingRead, len(ids))
	decided := make([]*PostRecord, len(ids))
	for i, id := range ids {
		rec, r, _, err := rc.readOne(access, pv, userID, id, loaded, now)
		if r == nil || err != nil {
			return nil
		}
		reads[i], decided[i] = r, rec
	}
	left := map[*pendingRead]bool{}
	for _, r := range rc.commits.writeAlone(reads, b) {
		left[r] = true
	}
	settled := map[string]bool{}
	for i, r := range reads {
		if !left[r] {
			_, _ = rc.written(r, decided[i])
			settled[r.postID] = true
		}
	}
	return settled
}
