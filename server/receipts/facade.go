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

// QueryReceipts answers POST /receipts/query.
func (s *Service) QueryReceipts(userID string, postIDs []string) (QueryResult, error) {
	return s.queries.query(userID, postIDs)
}

// Readers answers GET /posts/{id}/readers: the author pages through who has
// read the post (by read time) or who has not (by username).
func (s *Service) Readers(userID, postID string, q ReaderQuery) (ReaderPage, error) {
	return s.readerLists.readers(userID, postID, q)
}

// ReadCurve answers GET /posts/{id}/curve for the post's author, under the
// same rules as the reader list.
func (s *Service) ReadCurve(userID, postID string) (Curve, error) {
	return s.readerLists.curve(userID, postID)
}

// NewestOwnPost returns the caller's newest tracked post in the channel, or
// in the thread of rootID when it is not empty (the root counts as part of
// its thread). It looks at the channel's newest tracked posts only.
func (s *Service) NewestOwnPost(userID, channelID, rootID string) (string, error) {
	return s.ownPosts.newest(userID, channelID, rootID)
}
