package store

import "github.com/readreceipts/mattermost-plugin-readreceipts/server/rounds"

// batchReads combines the batch reads that arrive while one is under way:
// they queue, and the next read asks for all their keys at once (see
// package rounds). On the real server each batch read is a statement and
// four RPCs, so 200 readers of one post at the same instant make a few reads,
// not 200; every caller sees values read after it asked, and a single batch
// never waits.
type batchReads struct {
	queue rounds.Queue[*batchRead]
}

// batchRead is one caller's batch and, after its round, its answer.
type batchRead struct {
	keys   []string
	values map[string][]byte
	ok     bool
	err    error
}

type readMany func(keys []string) (map[string][]byte, bool, error)

// get reads keys, alone or together with the batches queued with it.
func (c *batchReads) get(keys []string, read readMany) (map[string][]byte, bool, error) {
	r := &batchRead{keys: keys}
	c.queue.Do(r, func(batch []*batchRead) {
		values, ok, err := read(unionOf(batch))
		for _, b := range batch {
			b.values, b.ok, b.err = pick(values, b.keys), ok, err
		}
	})
	return r.values, r.ok, r.err
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
