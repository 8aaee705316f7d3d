package integration

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Rows of the table, in the order of issue 9's table (scale rows add the
// size's index: 0, 1, 2 for 100, 1,000, 10,000 members).
const (
	rowFloor        = 5
	rowQuery60      = 10
	rowQuery200     = 11
	rowScaleQuery   = 20
	rowScaleIdle    = 30
	rowReadersWarm  = 40
	rowReadersIdle  = 50
	rowReads1       = 60
	rowReads60      = 61
	rowReads60News  = 62
	rowCurve        = 64
	rowWho          = 65
	rowSustained    = 70
	rowCPUPerRead   = 71
	rowHot          = 80
	rowRest         = 90
	rowKVPost       = 100
	rowKVChange     = 101
	rowKVNumbering  = 102
	rowTracked      = 110
	rowTrackedIdle  = 111
	rowTrackedLeave = 112
	rowBurstLatency = 120
	rowBurstCPU     = 121
	rowKVRead       = 130
	rowKVRead10k    = 131
	rowRSS          = 140
)

type reportRow struct {
	order                               int
	figure, plugin, core, ratio, target string
}

// report collects the rows of the table as the phases produce them.
type report []reportRow

func (r *report) add(order int, figure, plugin, core, ratio, target string) {
	*r = append(*r, reportRow{order, figure, plugin, core, ratio, target})
}

// print writes the table as Markdown (readable as is in a terminal, and
// ready for the README).
func (r report) print(w io.Writer, at time.Time) {
	sort.SliceStable(r, func(i, j int) bool { return r[i].order < r[j].order })
	host, _ := os.Hostname()
	fmt.Fprintf(w, "\nRead Receipts against core Mattermost, same server, same run: %s, %s, %d cores, load %s\n\n",
		at.UTC().Format("2006-01-02 15:04 UTC"), host, runtime.NumCPU(), loadAverage())
	table := [][]string{{"figure", "plugin", "core (same run)", "ratio", "target"}}
	for _, row := range r {
		table = append(table, []string{row.figure, row.plugin, row.core, row.ratio, row.target})
	}
	widths := make([]int, len(table[0]))
	for _, cells := range table {
		for i, c := range cells {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		for i, c := range cells {
			fmt.Fprintf(w, "| %s%s ", c, strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
		}
		fmt.Fprintln(w, "|")
	}
	line(table[0])
	seps := make([]string, len(widths))
	for i, n := range widths {
		seps[i] = strings.Repeat("-", n)
	}
	line(seps)
	for _, cells := range table[1:] {
		line(cells)
	}
	fmt.Fprint(w, reportNotes)
}

const reportNotes = `
Medians. "core" is the Mattermost operation of similar weight, measured in the same run (interleaved with
the plugin's where both are single requests); ratio = plugin ÷ core (sustained: reads/s ÷ views/s). The
machine is shared: absolute times swing between runs, the ratios much less.
¹ median (min–max) of 3, against core's warm median in the same channel (the plugin keeps channel members
  for 10 s; core's own caches live longer).
² from the POST's answer until the author's query first shows a receipt; typical = median of 15 posts, worst
  = the slowest of those and of one after 11 s idle; core = POST /posts median in the same channel.
³ CPU of server + plugin + PostgreSQL from the first post until 2 s below the background rate + 5 % of a
  core, the background rate (measured just before) subtracted.
CPU: utime + stime from /proc/<pid>/stat of the mattermost process, its plugin process, and PostgreSQL
(postmaster, its children, and its exited children). KV: bytes of keys + values of the plugin's rows in
PluginKeyValueStore before and after (once unchanged for 1.5 s), without the expiring and coordination keys
(rl:, cc:, cron_, mutex_).

`

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// ms formats a duration in milliseconds, with a decimal below 10 ms.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v < 10 {
		return fmt.Sprintf("%.1f ms", v)
	}
	return thousands(int64(v+0.5)) + " ms"
}

// ratio formats a/b as a multiple.
func ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	v := a / b
	if v < 10 {
		return fmt.Sprintf("%.2f×", v)
	}
	return fmt.Sprintf("%.1f×", v)
}

func durRatio(a, b time.Duration) string { return ratio(float64(a), float64(b)) }

func bytesText(n int64) string {
	if n < 10*1024 {
		return thousands(n) + " B"
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024)) }

func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
