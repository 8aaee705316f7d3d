package receipts

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"strings"

	"github.com/pkg/errors"
)

// Bitmap is a fixed-size set of small integers: bit i is a post's i-th
// recipient. Stored, it is either the raw bytes or, when fewer recipients
// have read than that takes, the list of set bits, whichever is shorter: a
// post in a 10,000-member channel then costs a few bytes until people read
// it, not 1,250.
type Bitmap []byte

// NewBitmap returns a bitmap for n members.
func NewBitmap(n int) Bitmap { return make(Bitmap, (n+7)/8) }

// Has reports whether i is set.
func (b Bitmap) Has(i int) bool {
	return i >= 0 && i/8 < len(b) && b[i/8]&(1<<(uint(i)%8)) != 0
}

// Set sets i; it must be in range.
func (b Bitmap) Set(i int) { b[i/8] |= 1 << (uint(i) % 8) }

// compactPrefix marks the compact form; plain base64 (the raw bytes, as
// records of format 1 hold them) never starts with it.
const compactPrefix = "~"

const (
	formRaw    = 0
	formSparse = 1
)

// MarshalJSON writes the shorter of the raw and the sparse forms.
func (b Bitmap) MarshalJSON() ([]byte, error) {
	count := 0
	for _, x := range b {
		count += bits.OnesCount8(x)
	}
	var enc []byte
	if count*2 < len(b) { // a set bit takes one or two bytes as a gap
		enc = binary.AppendUvarint([]byte{formSparse}, uint64(len(b)))
		last := 0
		for i := 0; i < len(b)*8; i++ {
			if b.Has(i) {
				enc = binary.AppendUvarint(enc, uint64(i-last))
				last = i
			}
		}
	} else {
		enc = append([]byte{formRaw}, b...)
	}
	return json.Marshal(compactPrefix + base64.RawStdEncoding.EncodeToString(enc))
}

// UnmarshalJSON reads either form, and the plain base64 of format 1.
func (b *Bitmap) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errors.Wrap(err, "failed to decode reader bitmap")
	}
	if !strings.HasPrefix(s, compactPrefix) {
		raw, err := base64.StdEncoding.DecodeString(s)
		*b = raw
		return errors.Wrap(err, "failed to decode reader bitmap")
	}
	enc, err := base64.RawStdEncoding.DecodeString(s[len(compactPrefix):])
	if err != nil || len(enc) == 0 {
		return errors.New("reader bitmap is not valid")
	}
	if enc[0] == formRaw {
		*b = enc[1:]
		return nil
	}
	return b.decodeSparse(enc[1:])
}

func (b *Bitmap) decodeSparse(enc []byte) error {
	size, n := binary.Uvarint(enc)
	if n <= 0 || size > 1<<24 {
		return errors.New("reader bitmap has no valid size")
	}
	out := make(Bitmap, size)
	at := 0
	for enc = enc[n:]; len(enc) > 0; enc = enc[n:] {
		var gap uint64
		if gap, n = binary.Uvarint(enc); n <= 0 || at+int(gap) >= len(out)*8 {
			return errors.New("reader bitmap lists a bit out of range")
		}
		at += int(gap)
		out.Set(at)
	}
	*b = out
	return nil
}
