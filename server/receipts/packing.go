package receipts

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"

	"github.com/pkg/errors"
)

// From format 2, a post's reads are stored packed: each read is the reader's
// place in the post's recipient snapshot (every reader is a recipient) and
// its time as the difference from the read before it (the first from the
// post's creation), both varints, base64 in the record's JSON. A read costs
// 4–6 bytes instead of about 50 for {"u": id, "t": ms}. Records and chunks of
// format 1 keep their JSON lists; they are read as they are and packed when
// next written. The rest of the domain only sees unpacked reads: records go
// through postRecords (post, preload, updatePosts, readChunk, writeChunk).

func packReads(entries []ReadEntry, snap *Snapshot, base int64) (string, error) {
	buf := make([]byte, 0, 5*len(entries))
	prev := base
	for _, e := range entries {
		i := recipientIndex(snap, e.UserID)
		if i < 0 {
			return "", errors.Errorf("reader %s is not in the post's recipients", e.UserID)
		}
		buf = binary.AppendUvarint(buf, uint64(i))
		buf = binary.AppendVarint(buf, e.At-prev)
		prev = e.At
	}
	return base64.RawStdEncoding.EncodeToString(buf), nil
}

func unpackReads(packed string, snap *Snapshot, base int64) ([]ReadEntry, error) {
	if packed == "" {
		return nil, nil
	}
	buf, err := base64.RawStdEncoding.DecodeString(packed)
	if err != nil {
		return nil, errors.Wrap(ErrUndecodable, err.Error())
	}
	var out []ReadEntry
	prev := base
	for len(buf) > 0 {
		i, n := binary.Uvarint(buf)
		if n <= 0 || i >= uint64(len(snap.Users)) {
			return nil, errors.Wrap(ErrUndecodable, "bad reader in packed reads")
		}
		buf = buf[n:]
		d, m := binary.Varint(buf)
		if m <= 0 {
			return nil, errors.Wrap(ErrUndecodable, "bad time in packed reads")
		}
		buf = buf[m:]
		prev += d
		out = append(out, ReadEntry{UserID: snap.Users[i], At: prev})
	}
	return out, nil
}

// postRecords are the tracked posts' records as the rest of the domain sees
// them: reads unpacked.
type postRecords struct {
	store    PostStore
	snapshot func(id string) (*Snapshot, error)
	log      Logger
	channels postChannels // of the posts loaded
}

// post loads a tracked post (nil when untracked) with its reads unpacked.
func (r *postRecords) post(postID string) (*PostRecord, error) {
	rec, err := r.store.Post(postID)
	if err != nil || rec == nil {
		return rec, err
	}
	r.channels.note(postID, rec.ChannelID)
	return rec, r.unpack(rec)
}

// preloaded is a batch's tracked posts, read at once. A post whose record
// could not be used from it (the read failed, or it did not unpack) is
// loaded again on its own, so that its error is reported for it alone.
type preloaded struct {
	recs   map[string]*PostRecord
	retry  map[string]bool
	failed bool
}

// preload reads the tracked posts among postIDs in one read when the KV allows.
func (r *postRecords) preload(postIDs []string) preloaded {
	recs, err := r.store.Posts(validIDs(postIDs))
	return r.loaded(recs, err)
}

// loaded is what preload makes of the records read (or of the read's error).
func (r *postRecords) loaded(recs map[string]*PostRecord, err error) preloaded {
	if err != nil {
		r.log.Warn("failed to read a batch of tracked posts; reading them one by one", "err", err.Error())
		return preloaded{failed: true}
	}
	p := preloaded{recs: recs, retry: map[string]bool{}}
	for id, rec := range recs {
		r.channels.note(id, rec.ChannelID)
		if err := r.unpack(rec); err != nil {
			delete(recs, id)
			p.retry[id] = true
		}
	}
	return p
}

func validIDs(ids []string) []string {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if IsValidID(id) {
			valid = append(valid, id)
		}
	}
	return valid
}

// record is a preloaded post's record (nil when untracked).
func (p preloaded) record(r *postRecords, postID string) (*PostRecord, error) {
	if p.failed || p.retry[postID] {
		return r.post(postID)
	}
	return p.recs[postID], nil
}

// updatePosts is the store's UpdatePosts on unpacked reads.
func (r *postRecords) updatePosts(postIDs []string, fn func(postID string, rec *PostRecord) error) map[string]error {
	return r.store.UpdatePosts(postIDs, r.unpacked(fn))
}

// updatePostsIf is the store's UpdatePostsIf on unpacked reads (the batch's
// records are unpacked already, by loaded).
func (r *postRecords) updatePostsIf(b Remembered, postIDs []string, fn func(postID string, rec *PostRecord) error) map[string]bool {
	return r.store.UpdatePostsIf(b, postIDs, r.unpacked(fn))
}

// unpacked runs fn on the record unpacked, and packs it again.
func (r *postRecords) unpacked(fn func(postID string, rec *PostRecord) error) func(string, *PostRecord) error {
	return func(postID string, rec *PostRecord) error {
		if err := r.unpack(rec); err != nil {
			return err
		}
		if err := fn(postID, rec); err != nil {
			return err
		}
		return r.pack(rec)
	}
}

func (r *postRecords) unpack(rec *PostRecord) error {
	if rec.PackedTail == "" && rec.PackedLate == "" {
		return nil // no reads yet, or format 1
	}
	snap, err := r.snapshot(rec.Snapshot)
	if err != nil {
		return err
	}
	if rec.Tail, err = unpackReads(rec.PackedTail, snap, rec.CreateAt); err != nil {
		return err
	}
	rec.Late, err = unpackReads(rec.PackedLate, snap, rec.CreateAt)
	rec.PackedTail, rec.PackedLate = "", ""
	return err
}

func (r *postRecords) pack(rec *PostRecord) error {
	snap, err := r.snapshot(rec.Snapshot)
	if err != nil {
		return err
	}
	if rec.PackedTail, err = packReads(rec.Tail, snap, rec.CreateAt); err != nil {
		return err
	}
	if rec.PackedLate, err = packReads(rec.Late, snap, rec.CreateAt); err != nil {
		return err
	}
	rec.Tail, rec.Late, rec.Version = nil, nil, FormatVersion
	return nil
}

// readChunk loads chunk k of a post's reads.
func (r *postRecords) readChunk(postID string, rec *PostRecord, k int) ([]ReadEntry, error) {
	chunk, err := r.store.ReadChunk(postID, k)
	if err != nil || chunk == nil {
		return nil, err
	}
	if chunk.Legacy != nil {
		return chunk.Legacy, nil
	}
	snap, err := r.snapshot(rec.Snapshot)
	if err != nil {
		return nil, err
	}
	return unpackReads(chunk.Reads, snap, rec.CreateAt)
}

// writeChunk stores chunk k of a post's reads.
func (r *postRecords) writeChunk(postID string, rec *PostRecord, k int, entries []ReadEntry) error {
	snap, err := r.snapshot(rec.Snapshot)
	if err != nil {
		return err
	}
	packed, err := packReads(entries, snap, rec.CreateAt)
	if err != nil {
		return err
	}
	return r.store.WriteChunk(postID, k, &ReadChunk{Version: FormatVersion, Reads: packed})
}

// ReadChunk is one immutable chunk of a post's reads, packed. A format-1
// chunk was a JSON list of reads: it is decoded into Legacy.
type ReadChunk struct {
	Version int         `json:"v"`
	Reads   string      `json:"r"`
	Legacy  []ReadEntry `json:"-"`
}

// UnmarshalJSON reads both formats.
func (c *ReadChunk) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '[' {
		c.Legacy = []ReadEntry{}
		return json.Unmarshal(data, &c.Legacy)
	}
	type plain ReadChunk // without this method
	return json.Unmarshal(data, (*plain)(c))
}
