package store

import (
	"sort"

	"github.com/readreceipts/mattermost-plugin-readreceipts/server/receipts"
)

// ChannelIndex implements receipts.ChannelStore.
func (s *Store) ChannelIndex(channelID string) (*receipts.ChannelIndex, error) {
	var idx receipts.ChannelIndex
	ok, err := s.getRemembered(channelIndexKey(channelID), &idx)
	if !ok || err != nil {
		return nil, err
	}
	return &idx, nil
}

// UpdateChannelIndex implements receipts.ChannelStore.
func (s *Store) UpdateChannelIndex(channelID string, fn func(*receipts.ChannelIndex) error) error {
	_, err := updateRemembered(s, channelIndexKey(channelID), false, fn)
	return err
}

// ChannelSetting implements receipts.ChannelStore.
func (s *Store) ChannelSetting(channelID string) (*receipts.ChannelSetting, error) {
	var cs receipts.ChannelSetting
	ok, err := s.get(channelSettingKey(channelID), &cs)
	if !ok || err != nil {
		return nil, err
	}
	return &cs, nil
}

// UpdateChannelSetting implements receipts.ChannelStore.
func (s *Store) UpdateChannelSetting(channelID string, fn func(*receipts.ChannelSetting) error) error {
	_, err := update(s, channelSettingKey(channelID), false, fn)
	return err
}

// Watermark implements receipts.ChannelStore.
func (s *Store) Watermark(channelID, userID string) (int64, error) {
	var w receipts.Watermark
	_, err := s.getRemembered(watermarkKey(channelID, userID), &w)
	return w.Until, err
}

// RaiseWatermark implements receipts.ChannelStore.
func (s *Store) RaiseWatermark(channelID, userID string, until int64) error {
	_, err := updateRemembered(s, watermarkKey(channelID, userID), false, func(w *receipts.Watermark) error {
		if w.Until >= until {
			return receipts.ErrNoChange
		}
		w.Version, w.Until = receipts.FormatVersion, until
		return nil
	})
	return err
}

// OptOuts implements receipts.PrivacyStore.
func (s *Store) OptOuts() (*receipts.OptOuts, error) {
	o := &receipts.OptOuts{}
	_, err := s.get(keyOptOuts, o)
	return o, err
}

// UpdateOptOuts implements receipts.PrivacyStore.
func (s *Store) UpdateOptOuts(fn func(*receipts.OptOuts) error) error {
	_, err := updateRemembered(s, keyOptOuts, false, fn)
	return err
}

// watchRecord maps each watched channel to its latest tracked post time.
type watchRecord struct {
	Version  int              `json:"v"`
	Channels map[string]int64 `json:"c"`
}

// Watch implements receipts.WatchStore.
func (s *Store) Watch(channelID string, at, dropBefore int64) error {
	_, err := update(s, keyWatch, false, func(w *watchRecord) error {
		if w.Channels == nil {
			w.Channels = map[string]int64{}
		}
		w.Version = receipts.FormatVersion
		w.Channels[channelID] = max(at, w.Channels[channelID])
		for ch, t := range w.Channels {
			if t < dropBefore {
				delete(w.Channels, ch)
			}
		}
		return nil
	})
	return err
}

// Watched implements receipts.WatchStore.
func (s *Store) Watched(since int64) ([]receipts.WatchedChannel, error) {
	var w watchRecord
	if _, err := s.get(keyWatch, &w); err != nil {
		return nil, err
	}
	out := make([]receipts.WatchedChannel, 0, len(w.Channels))
	for ch, t := range w.Channels {
		if t >= since {
			out = append(out, receipts.WatchedChannel{ID: ch, At: t})
		}
	}
	// A stable order lets the poller go round-robin.
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ViewState implements receipts.WatchStore.
func (s *Store) ViewState(channelID string) (*receipts.ViewState, error) {
	vs := &receipts.ViewState{}
	_, err := s.get(viewStateKey(channelID), vs)
	return vs, err
}

// UpdateViewState implements receipts.WatchStore.
func (s *Store) UpdateViewState(channelID string, fn func(*receipts.ViewState) error) error {
	_, err := update(s, viewStateKey(channelID), false, fn)
	return err
}

// NewPostState implements receipts.ChannelStore: every key with one call
// when the KV can, else one by one. What it reads is remembered, as guesses
// for the hook's compare-and-sets.
func (s *Store) NewPostState(channelID string, marks []receipts.Mark) (receipts.NewPostState, error) {
	st := receipts.NewPostState{OptOuts: &receipts.OptOuts{}, Watermarks: make([]int64, len(marks))}
	keys := []string{channelSettingKey(channelID), keyOptOuts, channelIndexKey(channelID)}
	for _, m := range marks {
		keys = append(keys, watermarkKey(m.MarkID, m.UserID))
	}
	values, ok, err := s.getManyKeys(keys)
	if err != nil {
		return st, err
	}
	if !ok {
		return s.newPostStateOneByOne(channelID, marks)
	}
	marksAt := make([]receipts.Watermark, len(marks))
	dsts := []any{&st.Setting, st.OptOuts, &st.Index}
	for i := range marksAt {
		dsts = append(dsts, &marksAt[i])
	}
	for i, dst := range dsts {
		if data := values[keys[i]]; data != nil {
			if err := decode(keys[i], data, dst); err != nil {
				return st, err
			}
		}
	}
	for i, w := range marksAt {
		st.Watermarks[i] = w.Until
	}
	return st, nil
}

func (s *Store) newPostStateOneByOne(channelID string, marks []receipts.Mark) (st receipts.NewPostState, err error) {
	if st.Setting, err = s.ChannelSetting(channelID); err != nil {
		return st, err
	}
	if st.OptOuts, err = s.OptOuts(); err != nil {
		return st, err
	}
	if st.Index, err = s.ChannelIndex(channelID); err != nil {
		return st, err
	}
	st.Watermarks = make([]int64, len(marks))
	for i, m := range marks {
		if st.Watermarks[i], err = s.Watermark(m.MarkID, m.UserID); err != nil {
			return st, err
		}
	}
	return st, nil
}
