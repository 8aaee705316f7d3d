package store

import (
	"strconv"
	"strings"
)

// Every KV key the plugin writes, in one place. Ids are 26 characters, so the
// longest key (a settings-change claim) is 67 characters, well under the 150 allowed.
//
//	p:<post>              PostRecord: a tracked post, its reader bitmap and newest reads
//	pr:<post>:<k>         []ReadEntry: the post's k-th full chunk of reads (immutable)
//	s:<snapshot>          Snapshot: recipients shared by posts (content-addressed), as user numbers
//	un:<k>                the k-th chunk of the users' numbering: 1,024 ids of 26 bytes, appended to only
//	ci:<channel>          ChannelIndex: the channel's tracked posts, newest chunk inline
//	cx:<channel>:<k>      []IndexEntry: the channel index's k-th full chunk (immutable)
//	cs:<channel>          ChannelSetting: receipts turned off or on for the channel
//	w:<channel>:<user>    Watermark: conversation-level reads applied up to a time (also w:<root>:<user>
//	                      for a thread, keyed by its root post)
//	optouts               OptOuts: users who stopped sending receipts
//	watch                 watchRecord: channels whose views are polled
//	vs:<channel>          ViewState: whether the channel settled, and the view digest at which every view was applied
//	cursor_secret         the key that signs reader-list cursors
//	cc:<hash>             claim on announcing a settings change (expires in 5 s)
//	rl:<user>:<window>    decimal: the user's request cost in one rate-limit window, all servers (expires)
//	wqi                   spoolIndex: webhook event batches a stopping server left behind
//	wq:<id>               spoolBatch: one such batch, deleted by the server that claims it
//
// pluginapi's cluster jobs and mutexes add their own keys (cron_*, mutex_*).
const (
	prefixPost         = "p"
	prefixReadChunk    = "pr"
	prefixSnapshot     = "s"
	prefixChannelIndex = "ci"
	prefixIndexChunk   = "cx"
	prefixChannelSet   = "cs"
	prefixWatermark    = "w"
	keyOptOuts         = "optouts"
	keyWatch           = "watch"
	prefixViewState    = "vs"
	keyCursorSecret    = "cursor_secret"
	prefixConfigClaim  = "cc"
	prefixUsage        = "rl"
	keySpoolIndex      = "wqi"
	prefixSpool        = "wq"
	prefixNumbers      = "un"
)

func join(parts ...string) string { return strings.Join(parts, ":") }

func postKey(postID string) string             { return join(prefixPost, postID) }
func readChunkKey(postID string, k int) string { return join(prefixReadChunk, postID, strconv.Itoa(k)) }
func snapshotKey(id string) string             { return join(prefixSnapshot, id) }
func channelIndexKey(channelID string) string  { return join(prefixChannelIndex, channelID) }
func indexChunkKey(channelID string, k int) string {
	return join(prefixIndexChunk, channelID, strconv.Itoa(k))
}
func channelSettingKey(channelID string) string { return join(prefixChannelSet, channelID) }
func watermarkKey(channelID, userID string) string {
	return join(prefixWatermark, channelID, userID)
}

func viewStateKey(channelID string) string { return join(prefixViewState, channelID) }

func configClaimKey(hash string) string { return join(prefixConfigClaim, hash) }
func usageKey(userID string, window int64) string {
	return join(prefixUsage, userID, strconv.FormatInt(window, 10))
}

func spoolKey(id string) string { return join(prefixSpool, id) }

func numbersKey(k int) string { return join(prefixNumbers, strconv.Itoa(k)) }

// parseKey splits a key into its prefix and the id after it.
func parseKey(key string) (prefix, id string) {
	prefix, id, _ = strings.Cut(key, ":")
	return prefix, id
}
