package receipts

import (
	"github.com/pkg/errors"
)

// PostDeleted removes a deleted post's receipts.
func (s *Service) PostDeleted(postID string) {
	if err := s.store.DeletePost(postID); err != nil {
		s.log.Error("failed to delete receipts of deleted post", "post_id", postID, "err", err.Error())
	}
}

// RetentionReport says what a retention run removed.
type RetentionReport struct {
	Posts       int
	Snapshots   int
	IndexChunks int
	Watermarks  int
}

// RunRetention deletes receipts of posts created more than RetentionDays ago,
// the channel index chunks that only listed them, snapshots no post uses and
// read watermarks older than the cutoff.
// It does nothing when RetentionDays is 0. Run it on one server at a time.
func (s *Service) RunRetention() (RetentionReport, error) {
	var rep RetentionReport
	days := s.config().RetentionDays
	if days == 0 {
		return rep, nil
	}
	now := s.nowMillis()
	cutoff := now - int64(days)*dayMillis
	keep := map[string]bool{}
	var snapshots, channels []string
	err := s.store.Scan(func(kind, id string) error {
		switch kind {
		case RecordPost:
			deleted, err := s.expirePost(id, cutoff, keep)
			if deleted {
				rep.Posts++
			}
			return err
		case RecordSnapshot:
			snapshots = append(snapshots, id)
		case RecordChannelIndex:
			channels = append(channels, id)
		case RecordWatermark:
			// Everything before the cutoff is gone: an older watermark says nothing.
			deleted, err := s.store.DeleteWatermarkBefore(id, cutoff)
			if deleted {
				rep.Watermarks++
			}
			return err
		}
		return nil
	})
	if err != nil {
		return rep, errors.Wrap(err, "failed to scan stored receipts")
	}
	for _, ch := range channels {
		n, err := s.trimIndex(ch, cutoff)
		rep.IndexChunks += n
		if err != nil {
			return rep, err
		}
	}
	rep.Snapshots, err = s.deleteUnusedSnapshots(snapshots, keep, now)
	return rep, err
}

// deleteUnusedSnapshots removes the snapshots no kept post uses. Reused
// snapshots are refreshed daily, so two days of disuse is safe even against
// a post being tracked during the scan.
func (s *Service) deleteUnusedSnapshots(ids []string, keep map[string]bool, now int64) (int, error) {
	n := 0
	for _, id := range ids {
		if keep[id] {
			continue
		}
		deleted, err := s.store.DeleteSnapshotIfUnused(id, now-2*snapshotRefreshMillis)
		if err != nil {
			return n, errors.Wrap(err, "failed to delete unused snapshot")
		}
		if deleted {
			n++
		}
	}
	return n, nil
}

func (s *Service) expirePost(postID string, cutoff int64, keep map[string]bool) (bool, error) {
	rec, err := s.store.Post(postID)
	if err != nil || rec == nil {
		return false, err
	}
	if rec.CreateAt >= cutoff {
		keep[rec.Snapshot] = true
		return false, nil
	}
	return true, s.store.DeletePost(postID)
}

// trimIndex drops leading index chunks whose posts are all older than cutoff.
func (s *Service) trimIndex(channelID string, cutoff int64) (int, error) {
	idx, err := s.store.ChannelIndex(channelID)
	if err != nil || idx == nil {
		return 0, err
	}
	first := idx.First
	for ; first < idx.Chunks; first++ {
		chunk, err := s.store.IndexChunk(channelID, first)
		if err != nil {
			return 0, err
		}
		if len(chunk) > 0 && chunk[len(chunk)-1].CreateAt >= cutoff {
			break
		}
	}
	if first == idx.First {
		return 0, nil
	}
	err = s.store.UpdateChannelIndex(channelID, func(cur *ChannelIndex) error {
		if cur.First >= first {
			return ErrNoChange
		}
		cur.First = first
		return nil
	})
	if err != nil {
		return 0, errors.Wrap(err, "failed to trim channel index")
	}
	for k := idx.First; k < first; k++ {
		if err := s.store.DeleteIndexChunk(channelID, k); err != nil {
			return k - idx.First, err
		}
	}
	return first - idx.First, nil
}
