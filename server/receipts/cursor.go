package receipts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// cursor is the position in a reader list. It is signed so that a client can
// neither forge one nor reuse one from another post or filter.
type cursor struct {
	PostID string `json:"p"`
	Filter string `json:"f"`
	// At and UserID are the last read shown (read list, by read time), or
	// Username and UserID the last user shown (unread list, by username).
	At       int64  `json:"t,omitempty"`
	Username string `json:"n,omitempty"`
	UserID   string `json:"i,omitempty"`
}

// cursorCodec signs and checks reader-list cursors with the servers' shared
// secret.
type cursorCodec struct {
	secret []byte
}

func (cc cursorCodec) encode(c cursor) string {
	data, _ := json.Marshal(c)
	body := base64.RawURLEncoding.EncodeToString(data)
	return body + "." + cc.sign(body)
}

func (cc cursorCodec) decode(raw, postID, filter string) (cursor, error) {
	var c cursor
	body, sig, ok := strings.Cut(raw, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(cc.sign(body))) {
		return c, ErrInvalidCursor
	}
	data, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(data, &c) != nil || c.PostID != postID || c.Filter != filter {
		return c, ErrInvalidCursor
	}
	return c, nil
}

func (cc cursorCodec) sign(body string) string {
	m := hmac.New(sha256.New, cc.secret)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
