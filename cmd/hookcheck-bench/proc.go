package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat;
// it is 100 on every Linux architecture Go supports.
const clockTicks = 100

// pinning says which cores servers and the load generator run on; an
// empty list leaves that side unpinned.
type pinning struct {
	Server string `json:"server"`
	Load   string `json:"load"`
}

// process is a server subprocess started by the bench.
type process struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
	err  error
}

// startProcess starts argv pinned to cpus (through taskset, which execs
// the command, so the PID is the server's own) with its output in
// logPath.
func startProcess(name, cpus, logPath, dir string, env []string, argv ...string) (*process, error) {
	if cpus != "" {
		argv = append([]string{"taskset", "-c", cpus}, argv...)
	}
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("%s: log file: %w", name, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		_ = lf.Close()
		return nil, fmt.Errorf("%s: start %s: %w", name, strings.Join(argv, " "), err)
	}
	p := &process{name: name, cmd: cmd, log: lf, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// pid returns the server's process id.
func (p *process) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended, with its error.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// stop asks the process to end (SIGTERM), kills it if it has not within
// 10 s, and closes its log.
func (p *process) stop() {
	if p == nil {
		return
	}
	if ok, _ := p.exited(); !ok {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	_ = p.log.Close()
}

// logTail returns the last lines of the process's output, for errors.
func (p *process) logTail() string {
	b, err := os.ReadFile(p.log.Name())
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.Join(lines, "\n")
}

// waitReady polls check until it succeeds, the process exits, or timeout
// passes.
func (p *process) waitReady(ctx context.Context, timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	var last error
	for {
		if ok, err := p.exited(); ok {
			if err == nil {
				err = errors.New("exit status 0")
			}
			return fmt.Errorf("%s exited before it was ready (%w): %s", p.name, err, p.logTail())
		}
		if last = check(); last == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s: %w", p.name, timeout, last)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", p.name, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// freePort returns a loopback port that was free a moment ago, for servers
// that cannot report the port they bound.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// httpGetOK is a readiness check: GET url answers 2xx.
func httpGetOK(url string) func() error {
	hc := &http.Client{Timeout: 2 * time.Second}
	return func() error {
		resp, err := hc.Get(url)
		if err != nil {
			return fmt.Errorf("get %s: %w", url, err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("get %s: status %d", url, resp.StatusCode)
		}
		return nil
	}
}

// memInfo is what /proc/PID/status says about a process's memory, in KiB.
type memInfo struct {
	RSS int64 `json:"rssKiB"`
	HWM int64 `json:"hwmKiB"`
	// Anon and File split RSS: the process's own memory, and files it
	// maps (page cache, such as a database file) that are resident.
	Anon int64 `json:"rssAnonKiB,omitempty"`
	File int64 `json:"rssFileKiB,omitempty"`
}

// readMem reads VmRSS and VmHWM of pid.
func readMem(pid int) (memInfo, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memInfo{}, fmt.Errorf("read memory of pid %d: %w", pid, err)
	}
	var m memInfo
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch k {
		case "VmRSS":
			dst = &m.RSS
		case "VmHWM":
			dst = &m.HWM
		case "RssAnon":
			dst = &m.Anon
		case "RssFile":
			dst = &m.File
		default:
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return memInfo{}, fmt.Errorf("pid %d %s %q: %w", pid, k, v, err)
		}
		*dst = n
	}
	if m.RSS == 0 {
		return m, fmt.Errorf("pid %d: no VmRSS in /proc status", pid)
	}
	return m, nil
}

// cpuTime returns the CPU time (user + system, all threads) pid has used.
func cpuTime(pid int) (time.Duration, error) {
	path := "/proc/self/stat"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/stat"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read cpu time: %w", err)
	}
	// The command name (field 2) may hold spaces; fields restart after ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%s: malformed", path)
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("%s: too few fields", path)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// cpuMeter measures the share of one core a process used over an interval.
type cpuMeter struct {
	pid   int
	t0    time.Time
	cpu0  time.Duration
	valid bool
}

// startCPU begins measuring pid (0 = this process).
func startCPU(pid int) cpuMeter {
	c, err := cpuTime(pid)
	return cpuMeter{pid: pid, t0: time.Now(), cpu0: c, valid: err == nil}
}

// share returns the CPU used since start as a fraction of one core, or -1
// when it could not be read.
func (m cpuMeter) share() float64 {
	if !m.valid {
		return -1
	}
	c, err := cpuTime(m.pid)
	if err != nil {
		return -1
	}
	return (c - m.cpu0).Seconds() / time.Since(m.t0).Seconds()
}

// machineBusy returns the CPU time all cores have spent busy (everything
// but idle and iowait), from /proc/stat.
func machineBusy() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("read /proc/stat: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var busy int64
	for i, s := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is already counted in user
			break
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %w", err)
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTicks, nil
}

// loadAvg returns the 1-minute load average, or -1.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// idleShare is the CPU share below which a server counts as idle.
const idleShare = 0.05

// waitIdle waits until pid uses less than idleShare of a core over 200 ms
// (a server still working off a backlog after a point must not spill into
// the next one), or until timeout; it returns how long it waited.
func waitIdle(pid int, timeout time.Duration) time.Duration {
	start := time.Now()
	for time.Since(start) < timeout {
		m := startCPU(pid)
		time.Sleep(200 * time.Millisecond)
		if s := m.share(); s >= 0 && s < idleShare {
			break
		}
	}
	return time.Since(start)
}
