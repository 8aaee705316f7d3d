package receipts

// PostCreated handles a new post: if it asks for receipts it becomes tracked
// with its recipients, and in any case its author has now read what came
// before it in the channel or thread.
func (s *Service) PostCreated(p Post) { s.tracker.postCreated(p) }

// RecordReads answers POST /reads for the caller.
func (s *Service) RecordReads(userID string, postIDs []string) (ReadResult, error) {
	return s.recorder.recordReads(userID, postIDs)
}

// MarkChannelRead answers POST /channels/{id}/read: every tracked post in the
// channel created at or before until (now when negative) is read by the caller.
func (s *Service) MarkChannelRead(userID, channelID string, until int64) (int, error) {
	return s.recorder.markChannelRead(userID, channelID, until)
}

// ReactionAdded records that the reacting user has read the post and what
// came before it, if the user sends receipts.
func (s *Service) ReactionAdded(userID, postID string) { s.recorder.reactionAdded(userID, postID) }

// PollViews applies the views of the watched channels due this poll. It
// returns how many reads it recorded. Callers run it on one server at a time.
func (s *Service) PollViews() (int, error) { return s.views.poll() }
