package receipts

import (
	"github.com/pkg/errors"
)

// Kind classifies an Error for the HTTP layer, which maps it to a status.
type Kind int

// The kinds of client-facing errors.
const (
	KindInvalid Kind = iota + 1
	KindNotFound
	KindForbidden
	// KindBusy: too many concurrent writers of one record; retrying is safe.
	KindBusy
)

// Error is an error whose message and id are safe to show to the caller.
// Anything that is not an *Error is internal and its text stays in the log.
type Error struct {
	Kind    Kind
	ID      string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Sentinel errors of the domain. Compare with errors.Cause or AsError.
var (
	ErrNotFound      = &Error{KindNotFound, "not_found", "not found"}
	ErrNoPermission  = &Error{KindForbidden, "no_permission", "you may not do that"}
	ErrHidden        = &Error{KindForbidden, "hidden_by_privacy", "receipts are hidden because you stopped sending read receipts"}
	ErrPolicyLocked  = &Error{KindForbidden, "policy_always_on", "your administrator requires read receipts for everyone"}
	ErrTooManyPosts  = &Error{KindInvalid, "too_many_posts", "at most 200 post ids per request"}
	ErrInvalidCursor = &Error{KindInvalid, "invalid_cursor", "the cursor is not valid for this post and filter"}
	// ErrBusy: a record had too many concurrent writers for the retry budget;
	// nothing was written, and trying again is safe.
	ErrBusy = &Error{KindBusy, "busy", "too many concurrent writers; try again in a second"}
)

// Invalid returns a bad-input error with a stable id and a message for the caller.
func Invalid(id, message string) error {
	return &Error{Kind: KindInvalid, ID: id, Message: message}
}

// AsError returns the client-facing error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// ErrNoChange, returned by an update function, stops the update without a write.
var ErrNoChange = errors.New("no change")

// ErrUndecodable is a stored record that cannot be decoded. Batch work
// (retention) passes over such a record, counts and logs it.
var ErrUndecodable = errors.New("undecodable record")
