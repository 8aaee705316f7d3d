package store

import "sync"

// batchReads combines the batch reads that arrive while one is under way:
// they queue, and the next read asks for all their keys at once. On the real
// server each batch read is a statement and four RPCs, so 200 readers of one
// post at the same instant make a few reads, not 200. A queued batch is
// answered only by a read that started after it arrived, so every caller sees
// values read after it asked. A single batch never waits.
type batchReads struct {
	mu      sync.Mutex
	reading bool
	queue   []*batchRead
}

// batchRead is one caller's batch.
type batchRead struct {
	keys   []string
	values map[string][]byte
	ok     bool
	err    error
	done   chan struct{} // answered
	lead   chan struct{} // to read the next round itself
}

type readMany func(keys []string) (map[string][]byte, bool, error)

// get reads keys, alone or together with the batches queued with it.
func (c *batchReads) get(keys []string, read readMany) (map[string][]byte, bool, error) {
	r := &batchRead{keys: keys, done: make(chan struct{}), lead: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, r)
	leads := !c.reading
	c.reading = true
	c.mu.Unlock()
	if !leads {
		select {
		case <-r.done:
			return r.values, r.ok, r.err
		case <-r.lead:
		}
	}
	c.round(read)
	return r.values, r.ok, r.err
}

// round reads every queued batch at once, then hands the next round to the
// first batch that queued meanwhile (its caller reads it, not this one).
func (c *batchReads) round(read readMany) {
	c.mu.Lock()
	batch := c.queue
	c.queue = nil
	c.mu.Unlock()
	values, ok, err := read(unionOf(batch))
	for _, b := range batch {
		b.values, b.ok, b.err = pick(values, b.keys), ok, err
		close(b.done)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		c.reading = false
		return
	}
	close(c.queue[0].lead)
}

func unionOf(batch []*batchRead) []string {
	if len(batch) == 1 {
		return batch[0].keys
	}
	seen := map[string]bool{}
	var keys []string
	for _, b := range batch {
		for _, k := range b.keys {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// pick is the part of values a batch asked for.
func pick(values map[string][]byte, keys []string) map[string][]byte {
	if values == nil {
		return nil
	}
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, found := values[k]; found {
			out[k] = v
		}
	}
	return out
}
