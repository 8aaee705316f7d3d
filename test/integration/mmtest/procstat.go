package mmtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The benchmark's CPU and memory figures come from /proc, for the processes
// of the repository's own server (build/server.sh): the Mattermost server,
// its plugin process, and the PostgreSQL cluster. Linux only.

// clockTick is the unit of the CPU times in /proc/<pid>/stat (USER_HZ).
const clockTick = 10 * time.Millisecond

// Processes are the pids whose CPU the benchmark counts.
type Processes struct {
	Server     int
	Plugin     int
	Postmaster int
}

// CPU is the CPU time used so far, by part.
type CPU struct {
	Server, Plugin, Postgres time.Duration
}

// Total is the CPU time of all parts.
func (c CPU) Total() time.Duration { return c.Server + c.Plugin + c.Postgres }

// Sub is the CPU used between an earlier sample and c.
func (c CPU) Sub(earlier CPU) CPU {
	return CPU{Server: c.Server - earlier.Server, Plugin: c.Plugin - earlier.Plugin, Postgres: c.Postgres - earlier.Postgres}
}

// Per is the CPU per second of wall time (1 s = one core busy).
func (c CPU) Per(wall time.Duration) CPU {
	f := float64(time.Second) / float64(wall)
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) * f) }
	return CPU{Server: scale(c.Server), Plugin: scale(c.Plugin), Postgres: scale(c.Postgres)}
}

// FindProcesses finds the server of build/server.sh (its pid file), the
// plugin's process among its children, and the postmaster listening on
// pgPort. A part it cannot find is 0.
func FindProcesses(pluginID, pgPort string) (Processes, error) {
	var p Processes
	root, err := RepoRoot()
	if err != nil {
		return p, err
	}
	data, err := os.ReadFile(filepath.Join(root, ".cache", "mm", "mattermost.pid"))
	if err != nil {
		return p, fmt.Errorf("no pid file of the server (build/server.sh start): %w", err)
	}
	if p.Server, err = strconv.Atoi(strings.TrimSpace(string(data))); err != nil {
		return p, fmt.Errorf("bad server pid file: %w", err)
	}
	pids, err := allPIDs()
	if err != nil {
		return p, err
	}
	for _, pid := range pids {
		st, err := readStat(pid)
		if err != nil {
			continue
		}
		if st.ppid == p.Server && strings.Contains(exe(pid), "/plugins/"+pluginID+"/") {
			p.Plugin = pid
		}
		if isPostmaster(pid, pgPort) {
			p.Postmaster = pid
		}
	}
	return p, nil
}

// Sample reads the CPU used so far. PostgreSQL counts the postmaster, its
// live children, and the children that have exited (cutime, cstime).
func (p Processes) Sample() (CPU, error) {
	var c CPU
	if st, err := readStat(p.Server); err == nil {
		c.Server = st.own()
	} else {
		return c, fmt.Errorf("failed to read the server's CPU: %w", err)
	}
	if st, err := readStat(p.Plugin); err == nil {
		c.Plugin = st.own()
	}
	if p.Postmaster == 0 {
		return c, nil
	}
	pm, err := readStat(p.Postmaster)
	if err != nil {
		return c, fmt.Errorf("failed to read PostgreSQL's CPU: %w", err)
	}
	c.Postgres = pm.own() + pm.children
	pids, err := allPIDs()
	if err != nil {
		return c, err
	}
	for _, pid := range pids {
		if st, err := readStat(pid); err == nil && st.ppid == p.Postmaster {
			c.Postgres += st.own() + st.children
		}
	}
	return c, nil
}

// PeakRSS is the process's peak resident memory (VmHWM), in bytes.
func PeakRSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

type procStat struct {
	ppid         int
	utime, stime time.Duration
	// children is the CPU of exited children it has waited for.
	children time.Duration
}

func (s procStat) own() time.Duration { return s.utime + s.stime }

func readStat(pid int) (procStat, error) {
	if pid <= 0 {
		return procStat{}, fmt.Errorf("no process")
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	// The command name is in parentheses and may hold spaces: split after it.
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return procStat{}, fmt.Errorf("bad /proc/%d/stat", pid)
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 20 {
		return procStat{}, fmt.Errorf("short /proc/%d/stat", pid)
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	// f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
	return procStat{
		ppid:     int(n(1)),
		utime:    time.Duration(n(11)) * clockTick,
		stime:    time.Duration(n(12)) * clockTick,
		children: time.Duration(n(13)+n(14)) * clockTick,
	}, nil
}

func allPIDs() ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

func exe(pid int) string {
	p, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	return p
}

// isPostmaster: a postgres process started with "-p <port>" (build/server.sh
// passes the port on the command line; its children rewrite theirs).
func isPostmaster(pid int, port string) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := strings.Split(strings.TrimRight(string(data), "\x00"), "\x00")
	if len(args) == 0 || filepath.Base(args[0]) != "postgres" {
		return false
	}
	i := slices.Index(args, "-p")
	return i >= 0 && i+1 < len(args) && args[i+1] == port
}
