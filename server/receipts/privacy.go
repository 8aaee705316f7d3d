package receipts

import (
	"github.com/pkg/errors"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/config"
)

// privacy is the users' choices about sending receipts as they apply now,
// loaded once per operation. It is the one place that answers "does this
// user send receipts (at this time)", for every path a read can come from.
type privacy struct {
	// all is true under always_on: everyone sends whatever they chose.
	all        bool
	reciprocal bool
	optedOut   map[string]int64
	resumed    map[string]int64
}

// optOutReader reads the users who stopped sending receipts.
type optOutReader interface {
	OptOuts() (*OptOuts, error)
}

// privacyNow loads the users' choices under the current policy.
func privacyNow(store optOutReader, cfg config.Config) (privacy, error) {
	if cfg.PrivacyPolicy == config.PrivacyAlwaysOn {
		return privacyFrom(cfg, nil), nil
	}
	o, err := store.OptOuts()
	if err != nil {
		return privacy{}, errors.Wrap(err, "failed to load privacy settings")
	}
	return privacyFrom(cfg, o), nil
}

func privacyFrom(cfg config.Config, o *OptOuts) privacy {
	pv := privacy{all: cfg.PrivacyPolicy == config.PrivacyAlwaysOn, reciprocal: cfg.Reciprocal}
	if !pv.all && o != nil {
		pv.optedOut, pv.resumed = o.Users, o.Resumed
	}
	return pv
}

// batchStore reads a batch's tracked posts together with the opt-outs.
type batchStore interface {
	optOutReader
	PostsAndOptOuts(postIDs []string) (map[string]*PostRecord, *OptOuts, error)
}

// batchState reads what a batch of posts needs: the privacy choices and the
// posts, with one read when the KV allows.
func batchState(store batchStore, records *postRecords, cfg config.Config, ids []string) (privacy, preloaded, error) {
	if cfg.PrivacyPolicy == config.PrivacyAlwaysOn {
		return privacyFrom(cfg, nil), records.preload(ids), nil
	}
	recs, o, err := store.PostsAndOptOuts(validIDs(ids))
	if err != nil {
		loaded := records.loaded(nil, err) // the posts are then read one by one
		pv, err := privacyNow(store, cfg)
		return pv, loaded, err
	}
	return privacyFrom(cfg, o), records.loaded(recs, nil), nil
}

// optedOut reports whether the user does not send receipts now.
func (pv privacy) isOptedOut(userID string) bool {
	if pv.all {
		return false
	}
	_, ok := pv.optedOut[userID]
	return ok
}

// sendsAt reports whether a read the user made at time at may be recorded:
// the user sends receipts now, and did at that time. Only the latest change
// back to sending is kept, so a read at or before it never counts (a view made
// while opted out and applied later, after the user turned sending back on).
func (pv privacy) sendsAt(userID string, at int64) bool {
	if pv.all {
		return true
	}
	if pv.isOptedOut(userID) {
		return false
	}
	return at > pv.resumed[userID]
}

// hides reports whether, under Reciprocal, any of the users stopped sending
// receipts and so may not see any. It is the one reciprocity rule for
// queries, reader lists, events and counts.
func (pv privacy) hides(users ...string) bool {
	if !pv.reciprocal {
		return false
	}
	for _, u := range users {
		if pv.isOptedOut(u) {
			return true
		}
	}
	return false
}

// since is when the user's current choice started to hold (0: by default).
func (pv privacy) since(userID string) int64 {
	if at, ok := pv.optedOut[userID]; ok {
		return at
	}
	return pv.resumed[userID]
}

// UserSettings answers GET /me/settings.
func (s *Service) UserSettings(userID string) (UserSettings, error) {
	cfg := s.config()
	pv, err := privacyNow(s.store, cfg)
	if err != nil {
		return UserSettings{}, err
	}
	return UserSettings{
		SendReadReceipts: !pv.isOptedOut(userID),
		CanChange:        !pv.all,
		Since:            pv.since(userID),
	}, nil
}

// SetSendReadReceipts records the user's choice; refused under always_on.
func (s *Service) SetSendReadReceipts(userID string, send bool) (UserSettings, error) {
	cfg := s.config()
	if cfg.PrivacyPolicy == config.PrivacyAlwaysOn {
		return UserSettings{}, ErrPolicyLocked
	}
	now := s.nowMillis()
	err := s.store.UpdateOptOuts(func(o *OptOuts) error {
		return o.set(userID, send, now, resumedCutoff(cfg, now))
	})
	if err != nil {
		return UserSettings{}, errors.Wrap(err, "failed to save privacy setting")
	}
	return s.UserSettings(userID)
}

// set applies one user's choice at time now, forgetting resume times older
// than dropBefore.
func (o *OptOuts) set(userID string, send bool, now, dropBefore int64) error {
	_, opted := o.Users[userID]
	if opted != send {
		return ErrNoChange
	}
	o.Version = FormatVersion
	if o.Users == nil {
		o.Users = map[string]int64{}
	}
	if o.Resumed == nil {
		o.Resumed = map[string]int64{}
	}
	if send {
		delete(o.Users, userID)
		o.Resumed[userID] = now
	} else {
		o.Users[userID] = now
		delete(o.Resumed, userID)
	}
	for u, at := range o.Resumed {
		if at < dropBefore {
			delete(o.Resumed, u)
		}
	}
	return nil
}

// resumedCutoff is how long a resume time matters: a view before it can only
// read posts created before it, which retention has deleted by then. With
// retention off, resume times are kept.
func resumedCutoff(cfg config.Config, now int64) int64 {
	if cfg.RetentionDays == 0 {
		return 0
	}
	return now - int64(cfg.RetentionDays)*dayMillis
}
