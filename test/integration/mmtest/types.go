package mmtest

// Config is the answer of GET /config and the payload of the config event.
type Config struct {
	EnableDirectMessages  bool   `json:"enable_direct_messages"`
	EnableGroupMessages   bool   `json:"enable_group_messages"`
	EnablePrivateChannels bool   `json:"enable_private_channels"`
	EnablePublicChannels  bool   `json:"enable_public_channels"`
	RequestMode           string `json:"request_mode"`
	MaxChannelMembers     int    `json:"max_channel_members"`
	PrivacyPolicy         string `json:"privacy_policy"`
	Reciprocal            bool   `json:"reciprocal"`
	CountsVisibleTo       string `json:"counts_visible_to"`
}

// ConfigFields are the JSON fields of Config, as API.md lists them.
var ConfigFields = []string{
	"enable_direct_messages", "enable_group_messages", "enable_private_channels", "enable_public_channels",
	"request_mode", "max_channel_members", "privacy_policy", "reciprocal", "counts_visible_to",
}

// APIError is the plugin's error body.
type APIError struct {
	Error string `json:"error"`
	ID    string `json:"id"`
}

// Skipped is one post a batch call did not act on, and why.
type Skipped struct {
	PostID string `json:"post_id"`
	Reason string `json:"reason"`
}

// ReadsResult is the answer of POST /reads.
type ReadsResult struct {
	Recorded []string  `json:"recorded"`
	Skipped  []Skipped `json:"skipped"`
}

// ChannelReadResult is the answer of POST /channels/{id}/read.
type ChannelReadResult struct {
	Recorded int `json:"recorded"`
}

// Receipt is API.md's Receipt object.
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

// QueryResult is the answer of POST /receipts/query.
type QueryResult struct {
	Receipts []Receipt `json:"receipts"`
	Skipped  []Skipped `json:"skipped"`
	Failed   []string  `json:"failed"`
}

// Reader is one user in a reader list.
type Reader struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	ReadAt   int64  `json:"read_at"`
	// BeforeEdit: the read came before the post's last edit.
	BeforeEdit bool `json:"before_edit"`
}

// ReadersPage is the answer of GET /posts/{id}/readers.
type ReadersPage struct {
	Users       []Reader `json:"users"`
	NextCursor  string   `json:"next_cursor"`
	IsFinished  bool     `json:"is_finished"`
	ReadCount   int      `json:"read_count"`
	UnreadCount int      `json:"unread_count"`
}

// ChannelSettings is the answer of GET/PUT /channels/{id}/settings.
type ChannelSettings struct {
	ChannelID   string `json:"channel_id"`
	Enabled     bool   `json:"enabled"`
	RequestMode string `json:"request_mode"`
	Reason      string `json:"reason"`
}

// MeSettings is the answer of GET/PUT /me/settings.
type MeSettings struct {
	SendReadReceipts bool `json:"send_read_receipts"`
	CanChange        bool `json:"can_change"`
}

// Reason codes of API.md.
const (
	ReasonNotFound        = "not_found"
	ReasonNotTracked      = "not_tracked"
	ReasonOwnPost         = "own_post"
	ReasonNotRecipient    = "not_recipient"
	ReasonAlreadyRead     = "already_read"
	ReasonDisabled        = "disabled"
	ReasonNoPermission    = "no_permission"
	ReasonHiddenByPrivacy = "hidden_by_privacy"
)

// Websocket events of API.md.
const (
	EventReceipts        = "custom_readreceipts_receipts"
	EventChannelSettings = "custom_readreceipts_channel_settings"
	EventConfig          = "custom_readreceipts_config"
)
