// Package receipts is the domain of Read Receipts: which posts are tracked and
// who their recipients are, recording reads, counting them, listing readers,
// per-channel and per-user settings, and the privacy rules. It knows nothing
// of HTTP or of the plugin API: it talks to the outside through the small
// interfaces in deps.go.
package receipts

// Limits of the API.
const (
	MaxBatch   = 200
	MaxPerPage = 100
)

// Reader list filters.
const (
	FilterRead   = "read"
	FilterUnread = "unread"
)

// Skip reasons, as in API.md.
const (
	ReasonNotFound     = "not_found"
	ReasonNotTracked   = "not_tracked"
	ReasonOwnPost      = "own_post"
	ReasonNotRecipient = "not_recipient"
	ReasonAlreadyRead  = "already_read"
	ReasonDisabled     = "disabled"
	ReasonNoPermission = "no_permission"
	ReasonHidden       = "hidden_by_privacy"
)

// Reasons why a channel has no receipts.
const (
	ReasonTypeDisabled   = "type_disabled"
	ReasonTurnedOff      = "turned_off"
	ReasonTooManyMembers = "too_many_members"
)

// Skipped names a post that a batch did not act on, and why.
type Skipped struct {
	PostID string `json:"post_id"`
	Reason string `json:"reason"`
}

// ReadResult answers POST /reads. Failed lists posts that hit an internal
// error; it is only shown in a 500 answer.
type ReadResult struct {
	Recorded []string  `json:"recorded"`
	Skipped  []Skipped `json:"skipped"`
	Failed   []string  `json:"-"`
}

// Receipt is the state of one tracked post as its author sees it.
type Receipt struct {
	PostID      string `json:"post_id"`
	ChannelID   string `json:"channel_id"`
	UserID      string `json:"user_id"`
	IsPeerRead  bool   `json:"is_peer_read"`
	Timestamp   int64  `json:"timestamp"`
	ReadCount   int    `json:"read_count"`
	UnreadCount int    `json:"unread_count"`
	EditedAt    int64  `json:"edited_at"`
}

// Map renders the receipt with primitives only, as websocket payloads need.
func (r Receipt) Map() map[string]any {
	return map[string]any{
		"post_id":      r.PostID,
		"channel_id":   r.ChannelID,
		"user_id":      r.UserID,
		"is_peer_read": r.IsPeerRead,
		"timestamp":    r.Timestamp,
		"read_count":   r.ReadCount,
		"unread_count": r.UnreadCount,
		"edited_at":    r.EditedAt,
	}
}

// QueryResult answers POST /receipts/query. Failed lists posts whose
// receipt could not be loaded this time; the client asks for them again.
type QueryResult struct {
	Receipts []Receipt `json:"receipts"`
	Skipped  []Skipped `json:"skipped"`
	Failed   []string  `json:"failed"`
}

// ReaderQuery selects a page of a post's readers or non-readers.
type ReaderQuery struct {
	Filter  string
	Cursor  string
	PerPage int
}

// ReaderUser is one entry of a reader list.
type ReaderUser struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	ReadAt   int64  `json:"read_at"`
	// BeforeEdit is true when the read came before the post's last edit.
	BeforeEdit bool `json:"before_edit"`
}

// ReaderPage answers GET /posts/{id}/readers.
type ReaderPage struct {
	Users       []ReaderUser `json:"users"`
	NextCursor  string       `json:"next_cursor"`
	IsFinished  bool         `json:"is_finished"`
	ReadCount   int          `json:"read_count"`
	UnreadCount int          `json:"unread_count"`
}

// ChannelSettings answers GET/PUT /channels/{id}/settings.
type ChannelSettings struct {
	ChannelID   string `json:"channel_id"`
	Enabled     bool   `json:"enabled"`
	RequestMode string `json:"request_mode"`
	Reason      string `json:"reason"`
}

// UserSettings answers GET/PUT /me/settings.
type UserSettings struct {
	SendReadReceipts bool `json:"send_read_receipts"`
	CanChange        bool `json:"can_change"`
	// Since is when the current choice started to hold, 0 when the user never
	// changed it (not in API.md; the user setting shows it).
	Since int64 `json:"since"`
}
