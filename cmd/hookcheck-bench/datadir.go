package main

import (
	"fmt"
	"io"
)

// dataDirTarget is the goal of a receiver with --data-dir against the
// bare handler measured in the same run.
const dataDirTarget = 0.5

// writeDataTargets writes the rows of the targets table about --data-dir:
// throughput with group commits against bare and against the in-memory
// receiver, what --sync costs, and memory and disk at the bound.
func writeDataTargets(w io.Writer, r *results) {
	t := r.Throughput
	var bare, mem, data, sync *targetResult
	if t != nil {
		bare, mem, data, sync = t.find("bare"), t.find("hookcheck"), t.find("hookcheck-data"), t.find("hookcheck-sync")
	}
	if bare != nil && data != nil && bare.Full != nil && data.Full != nil {
		ratio := pairedRatio(data, bare)
		vsMem := ""
		if mem != nil {
			vsMem = fmt.Sprintf("; %.2f × the in-memory receiver", pairedRatio(data, mem))
		}
		inProc := ""
		if g := t.GoBench; g != nil && len(g.DataDir) > 0 {
			inProc = fmt.Sprintf("; in-process `BenchmarkThroughput`: %.2f ×", g.DataDirRatio())
		}
		fmt.Fprintf(w, "| receiver throughput with `--data-dir` | ≥ %.2f × bare `net/http` | **%.2f ×** bare: the median of the %d per-round ratios %s (each round runs every server back to back, so a ratio compares like with like on a busy machine)%s; server CPU %s a call against bare's %s%s | %s |\n",
			dataDirTarget, ratio, len(data.Rounds), roundRatios(data, bare), vsMem, fmtDur(data.Full.CPUPerRequest()), fmtDur(bare.Full.CPUPerRequest()), inProc, verdict(ratio >= dataDirTarget))
	} else {
		fmt.Fprintf(w, "| receiver throughput with `--data-dir` | ≥ %.2f × bare `net/http` | not measured | |\n", dataDirTarget)
	}
	if bare != nil && sync != nil && bare.Full != nil && sync.Full != nil {
		vsData := ""
		if data != nil {
			vsData = fmt.Sprintf(" = %.2f × group commits", pairedRatio(sync, data))
		}
		fmt.Fprintf(w, "| what `--sync` costs | (no goal: measured) | %.2f × bare (per-round ratios %s)%s; p99 %s; server CPU %s a call | |\n",
			pairedRatio(sync, bare), roundRatios(sync, bare), vsData, fmtDur(sync.Full.P99), fmtDur(sync.Full.CPUPerRequest()))
	}
	if m := r.MemoryData; m != nil && len(m.AtBound()) >= 3 {
		at := m.AtBound()
		last := at[len(at)-1]
		fmt.Fprintf(w, "| memory and disk at the bound with `--data-dir` | flat (≤ +%.0f %%) once %s calls are held | process memory (RssAnon) %s → %s calls: %s → %s (%+.1f %%); database file %s → %s calls: %s → %s (%+.1f %%); VmRSS %s → %s calls: %+.1f %% (it counts the mapped database: %s at the end) | %s |\n",
			flatTolerance*100, fmtInt(m.Bound), fmtInt(at[0].Calls), fmtInt(last.Calls), fmtKiB(at[0].Anon), fmtKiB(last.Anon), m.anonGrowth(0, len(at)-1)*100,
			fmtInt(at[1].Calls), fmtInt(last.Calls), fmtKiB(at[1].Disk/1024), fmtKiB(last.Disk/1024), m.diskGrowth(1, len(at)-1)*100,
			fmtInt(at[1].Calls), fmtInt(last.Calls), m.SteadyGrowth()*100, fmtKiB(last.File),
			verdict(m.AnonFlat() && m.SteadyFlat() && m.DiskFlat()))
	} else {
		fmt.Fprintf(w, "| memory and disk at the bound with `--data-dir` | flat | not measured | |\n")
	}
}

// writeMemoryData writes the --data-dir half of section 2.
func writeMemoryData(w io.Writer, r *results) {
	m := r.MemoryData
	if m == nil {
		return
	}
	fmt.Fprintf(w, "The same with `--data-dir` on a fresh directory: after each batch the bench also waits until the receiver's writer "+
		"holds every held call on disk (healthz `storage.calls`), then reads the database file's size.\n\n")
	fmt.Fprintf(w, "| after | calls held | on disk | evicted | VmRSS | of it RssAnon | of it RssFile | VmHWM (peak) | database file | calls/s |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	fmt.Fprintf(w, "| start (idle) | 0 | 0 | 0 | %s | %s | %s | %s | | |\n", fmtKiB(m.Idle.RSS), fmtKiB(m.Idle.Anon), fmtKiB(m.Idle.File), fmtKiB(m.Idle.HWM))
	for _, st := range m.Steps {
		fmt.Fprintf(w, "| %s calls | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", fmtInt(st.Calls), fmtInt(st.Held), fmtInt(st.OnDisk), fmtInt(int(st.Evicted)),
			fmtKiB(st.RSS), fmtKiB(st.Anon), fmtKiB(st.File), fmtKiB(st.HWM), fmtKiB(st.Disk/1024), fmtRate(st.Rate))
	}
	if at := m.AtBound(); len(at) >= 3 {
		last := at[len(at)-1]
		fmt.Fprintf(w, "\nThe process's own memory (RssAnon) moved %+.1f %% from %s to %s calls; VmRSS also counts the pages of the database "+
			"file that are mapped and resident (RssFile: page cache the kernel may reclaim), which grow to the file's size the "+
			"first time the writer has touched all of it and stay there. From %s to %s calls the database file moved %+.1f %%: an "+
			"evicted call's row is deleted in the commit that writes newer ones, and the database reuses its pages for them, so the "+
			"file stays at the size of the calls held (%.1f KiB a call).\n\n",
			m.anonGrowth(0, len(at)-1)*100, fmtInt(at[0].Calls), fmtInt(last.Calls),
			fmtInt(at[1].Calls), fmtInt(last.Calls), m.diskGrowth(1, len(at)-1)*100, float64(last.Disk)/1024/float64(max(last.OnDisk, 1)))
	}
}

// pairedRatio returns the median over the full-load rounds of a's
// throughput over b's in the same round (rounds run the servers back to
// back), or the ratio of their median rounds when the rounds do not pair.
func pairedRatio(a, b *targetResult) float64 {
	rs := perRound(a, b)
	if len(rs) == 0 {
		return a.Full.Achieved / b.Full.Achieved
	}
	return median(rs)
}

// perRound returns a's throughput over b's, round by round.
func perRound(a, b *targetResult) []float64 {
	if len(a.Rounds) != len(b.Rounds) {
		return nil
	}
	var out []float64
	for i := range a.Rounds {
		if b.Rounds[i].Achieved > 0 {
			out = append(out, a.Rounds[i].Achieved/b.Rounds[i].Achieved)
		}
	}
	return out
}

// roundRatios renders perRound as "(0.61, 0.72, …)".
func roundRatios(a, b *targetResult) string {
	rs := perRound(a, b)
	s := "("
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.2f", r)
	}
	return s + ")"
}
