package receipts

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBitmapRoundTripsAndStaysSmall(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ members, readers int }{{0, 0}, {1, 1}, {10, 0}, {10, 9}, {10_000, 0}, {10_000, 100}, {10_000, 9_000}} {
		b := NewBitmap(tc.members)
		set := map[int]bool{}
		for len(set) < tc.readers {
			i := rnd.IntN(tc.members)
			set[i] = true
			b.Set(i)
		}
		data, err := json.Marshal(b)
		require.NoError(t, err)
		var back Bitmap
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, b, back, "%d members, %d readers", tc.members, tc.readers)
		t.Logf("%d members, %d readers: %d bytes (raw base64: %d)", tc.members, tc.readers, len(data), (len(b)+2)/3*4+2)
		if tc.members == 10_000 && tc.readers <= 100 {
			assert.Less(t, len(data), 300)
		}
	}
}

func TestBitmapReadsFormatOne(t *testing.T) {
	old := Bitmap{0b101, 0, 0x80}
	data, err := json.Marshal([]byte(old)) // plain base64, as format 1 stored it
	require.NoError(t, err)
	var back Bitmap
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, old, back)
	assert.True(t, back.Has(0) && back.Has(2) && back.Has(23) && !back.Has(1))
}

func TestBitmapRefusesGarbage(t *testing.T) {
	for _, s := range []string{`"~"`, `"~AQ"`, `"~AQIh"`, `"~!!"`, `7`} {
		var b Bitmap
		assert.Error(t, json.Unmarshal([]byte(s), &b), s)
	}
}
