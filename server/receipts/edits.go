package receipts

import (
	"github.com/pkg/errors"
)

// PostEdited records that the author edited a tracked post at editAt (ms),
// so that receipts carry edited_at and reader lists can tell who read the
// text before the last edit. It costs reads nothing: the time lives in the
// post's record, which every read and query loads anyway. Untracked posts
// cost one KV read.
func (s *Service) PostEdited(postID string, editAt int64) {
	if editAt <= 0 {
		return
	}
	changed := false
	unlock := s.postLocks.lock(postID)
	_, err := s.store.UpdatePost(postID, func(r *PostRecord) error {
		changed = false // a retry after a lost compare-and-set starts over
		// The hook runs asynchronously: an older edit arriving late changes nothing.
		if r.EditedAt >= editAt {
			return ErrNoChange
		}
		r.EditedAt, changed = editAt, true
		return nil
	})
	unlock()
	switch {
	case errors.Is(err, ErrNotFound):
		return // not tracked
	case err != nil:
		s.log.Warn("failed to record post edit", "post_id", postID, "err", err.Error())
		return
	}
	if changed {
		s.notifier.touch(postID)
	}
}

// markBeforeEdit flags the readers whose read came before the post's last edit.
func markBeforeEdit(users []ReaderUser, editedAt int64) {
	for i := range users {
		users[i].BeforeEdit = users[i].ReadAt > 0 && users[i].ReadAt < editedAt
	}
}
