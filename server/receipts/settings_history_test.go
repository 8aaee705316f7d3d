package receipts

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestChannelSwitchAtATime: the switch answers as it was at each moment it
// knows of, and "off" where it cannot know.
func TestChannelSwitchAtATime(t *testing.T) {
	var none *ChannelSetting
	assert.False(t, none.offAt(5), "never switched: on")

	c := &ChannelSetting{}
	c.set(true, "u", 100)
	c.set(false, "u", 200)
	for at, off := range map[int64]bool{50: false, 100: true, 150: true, 200: false, 300: false} {
		assert.Equal(t, off, c.offAt(at), "at %d", at)
	}

	legacy := &ChannelSetting{Off: true, At: 100} // written before histories were kept
	assert.True(t, legacy.offAt(50), "unknown before the only change: off")
	legacy.set(false, "u", 200)
	assert.True(t, legacy.offAt(150))
	assert.True(t, legacy.offAt(50))
	assert.False(t, legacy.offAt(250))

	long := &ChannelSetting{}
	for i := int64(1); i <= 40; i++ {
		long.set(i%2 == 0, "u", i*10)
	}
	assert.Len(t, long.History, maxChannelChanges)
	assert.True(t, long.offAt(5), "before the changes kept: off")
	assert.False(t, long.offAt(395), "change 39 turned it on")
}
