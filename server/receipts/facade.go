package receipts

// PostCreated handles a new post: if it asks for receipts it becomes tracked
// with its recipients, and in any case its author has now read what came
// before it in the channel or thread.
func (s *Service) PostCreated(p Post) { s.tracker.postCreated(p) }
