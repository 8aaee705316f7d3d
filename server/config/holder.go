package config

import "sync"

// Holder keeps the current Config and swaps it whole under a lock, so readers
// always see one consistent set of settings.
type Holder struct {
	mu  sync.RWMutex
	cfg Config
}

// NewHolder starts with the defaults.
func NewHolder() *Holder {
	return &Holder{cfg: Default()}
}

// Get returns the current settings. The value is a copy; changing it changes nothing.
func (h *Holder) Get() Config {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.cfg
}

// Set replaces the settings and reports whether anything changed.
func (h *Holder) Set(c Config) (changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	changed = h.cfg != c
	h.cfg = c
	return changed
}
