package conformance

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/reports"
)

// specAt builds a spec report of leaf text at file:line in the given state.
func specAt(file string, line int, text string, state types.SpecState) types.SpecReport {
	return types.SpecReport{
		LeafNodeType:                types.NodeTypeIt,
		ContainerHierarchyTexts:     []string{"area"},
		ContainerHierarchyLocations: []types.CodeLocation{{FileName: file, LineNumber: 1}},
		ContainerHierarchyLabels:    [][]string{{}},
		LeafNodeText:                text,
		LeafNodeLocation:            types.CodeLocation{FileName: file, LineNumber: line},
		State:                       state,
	}
}

// elsewhere is the copy of s a worker skipped because another ran it.
func elsewhere(s types.SpecReport) types.SpecReport {
	s.State = types.SpecStateSkipped
	s.Failure = types.Failure{Message: claimedElsewhere}
	return s
}

func TestMergeReportsListsEachSpecOnceInSourceOrder(t *testing.T) {
	a := specAt("b.go", 10, "a", types.SpecStatePassed)
	b := specAt("a.go", 30, "b", types.SpecStateFailed)
	c := specAt("a.go", 20, "c", types.SpecStatePassed)
	filtered := specAt("a.go", 5, "left out", types.SpecStateSkipped)
	notReached := specAt("a.go", 40, "d", types.SpecStateSkipped) // the worker was interrupted before it
	d := specAt("a.go", 40, "d", types.SpecStatePassed)
	w1 := types.Report{SuiteDescription: SuiteName, SuiteSucceeded: true, SpecReports: []types.SpecReport{a, elsewhere(b), c, filtered, notReached}}
	w2 := types.Report{SuiteDescription: SuiteName, SuiteSucceeded: false, SpecReports: []types.SpecReport{elsewhere(a), b, elsewhere(c), filtered, d},
		SpecialSuiteFailureReasons: []string{"Interrupted by User"}}
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	end := start.Add(7 * time.Second)
	got, problems := mergeReports([]types.Report{w1, w2}, start, end)
	if len(problems) != 0 {
		t.Fatalf("problems %v", problems)
	}
	var texts []string
	for _, s := range got.SpecReports {
		texts = append(texts, s.LeafNodeText+"="+s.State.String())
	}
	if want := "left out=skipped c=passed b=failed d=passed a=passed"; strings.Join(texts, " ") != want {
		t.Errorf("merged specs %q, want %q (each once, from the worker that ran it, in source order)", strings.Join(texts, " "), want)
	}
	if got.RunTime != 7*time.Second || !got.StartTime.Equal(start) || got.SuiteSucceeded {
		t.Errorf("merged run time %s, start %s, succeeded %v", got.RunTime, got.StartTime, got.SuiteSucceeded)
	}
	if !interruptedReport(got) {
		t.Errorf("a worker's interrupt is lost: %v", got.SpecialSuiteFailureReasons)
	}
	// The order does not depend on which worker ran what.
	swapped, _ := mergeReports([]types.Report{w2, w1}, start, end)
	for i := range swapped.SpecReports {
		if specKey(swapped.SpecReports[i]) != specKey(got.SpecReports[i]) {
			t.Fatalf("order depends on the workers: %d is %q, then %q", i, specKey(swapped.SpecReports[i]), specKey(got.SpecReports[i]))
		}
	}
	run := reports.FromGinkgo(got, nil)
	if run.Totals.Passed != 3 || run.Totals.Failed != 1 {
		t.Errorf("totals %+v", run.Totals)
	}
}

func TestMergeReportsKeepsTheRunCopyOverOneSkippedByTheInterruptOrHalt(t *testing.T) {
	for _, reason := range []string{interruptedBeforeStart, StoppedByFailFast} {
		ran := specAt("a.go", 10, "a", types.SpecStatePassed)
		skipped := ran
		skipped.State = types.SpecStateSkipped
		skipped.Failure = types.Failure{Message: reason}
		for _, order := range [][]types.Report{
			{{SpecReports: []types.SpecReport{skipped}}, {SpecReports: []types.SpecReport{ran}}},
			{{SpecReports: []types.SpecReport{ran}}, {SpecReports: []types.SpecReport{skipped}}},
		} {
			got, problems := mergeReports(order, time.Now(), time.Now())
			if len(problems) != 0 {
				t.Errorf("%s: problems %v", reason, problems)
			}
			if len(got.SpecReports) != 1 || got.SpecReports[0].State != types.SpecStatePassed {
				t.Errorf("%s: the spec that passed in one worker is %v in the merged report", reason, got.SpecReports)
			}
		}
	}
}

func TestMergeReportsNamesSpecsRunTwiceOrLost(t *testing.T) {
	a := specAt("a.go", 1, "a", types.SpecStatePassed)
	lost := specAt("a.go", 2, "lost", types.SpecStatePassed)
	got, problems := mergeReports([]types.Report{
		{SpecReports: []types.SpecReport{a, elsewhere(lost)}},
		{SpecReports: []types.SpecReport{a}},
	}, time.Now(), time.Now())
	joined := strings.Join(problems, "\n")
	if !strings.Contains(joined, `spec "area a" ran in two workers`) || !strings.Contains(joined, `spec "area lost": the worker that claimed it wrote no report`) {
		t.Errorf("problems %q", joined)
	}
	if len(got.SpecReports) != 2 || got.SuiteSucceeded {
		t.Errorf("merged %d specs, succeeded %v", len(got.SpecReports), got.SuiteSucceeded)
	}
	if _, problems := mergeReports(nil, time.Now(), time.Now()); len(problems) != 1 {
		t.Errorf("no reports: %v", problems)
	}
}

// claimAsync claims in the background; the answer arrives on the channel.
func claimAsync(c *coordinator, ctx context.Context, req claimRequest) chan claimAnswer {
	out := make(chan claimAnswer, 1)
	go func() {
		ans, err := c.claim(ctx, req)
		if err != nil {
			ans = claimAnswer{}
		}
		out <- ans
	}()
	return out
}

// waitSerialWaiting polls, with a deadline, until n serial claims wait in
// c: a serial claim registers before it waits, and a claim made before
// that registration would not see it.
func waitSerialWaiting(t *testing.T, c *coordinator, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		c.mu.Lock()
		waiting := c.serialWaiting
		c.mu.Unlock()
		if waiting == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d serial claims wait, not %d", waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// receiveWithin waits up to d for an answer.
func receiveWithin(t *testing.T, ch chan claimAnswer, d time.Duration) claimAnswer {
	t.Helper()
	select {
	case a := <-ch:
		return a
	case <-time.After(d):
		t.Fatalf("no answer within %s", d)
		return claimAnswer{}
	}
}

func TestCoordinatorGivesEachSpecToTheFirstClaim(t *testing.T) {
	c := newCoordinator(nil, newStatusBoard(nil, false, 0, 2))
	ctx := context.Background()
	first, err := c.claim(ctx, claimRequest{Worker: 1, Seq: 0, Key: "k0"})
	if err != nil || !first.Granted {
		t.Fatalf("first claim %+v %v", first, err)
	}
	second, err := c.claim(ctx, claimRequest{Worker: 2, Seq: 0, Key: "k0"})
	if err != nil || second.Granted {
		t.Fatalf("second claim of the same spec %+v %v: it must skip", second, err)
	}
	if _, err := c.claim(ctx, claimRequest{Worker: 2, Seq: 0, Key: "other"}); err == nil || c.failure() == nil {
		t.Error("workers that disagree on the order are not reported")
	}
	if err := c.done(doneRequest{Worker: 2, Seq: 0}); err == nil {
		t.Error("a worker reported a spec another one ran")
	}
	if err := c.done(doneRequest{Worker: 1, Seq: 0}); err != nil {
		t.Error(err)
	}
}

func TestCoordinatorRunsASerialSpecAlone(t *testing.T) {
	c := newCoordinator(nil, newStatusBoard(nil, false, 0, 3))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if a, _ := c.claim(ctx, claimRequest{Worker: 1, Seq: 0, Key: "long"}); !a.Granted {
		t.Fatal("the first spec was not given")
	}
	serial := claimAsync(c, ctx, claimRequest{Worker: 2, Seq: 1, Key: "serial", Serial: true})
	waitSerialWaiting(t, c, 1)
	select {
	case a := <-serial:
		t.Fatalf("the serial spec started beside a running one: %+v", a)
	default:
	}
	later := claimAsync(c, ctx, claimRequest{Worker: 3, Seq: 2, Key: "later"})
	if err := c.done(doneRequest{Worker: 1, Seq: 0}); err != nil {
		t.Fatal(err)
	}
	if a := receiveWithin(t, serial, 10*time.Second); !a.Granted {
		t.Fatalf("serial answer %+v", a)
	}
	select {
	case a := <-later:
		t.Fatalf("a spec started beside the serial one: %+v", a)
	default:
	}
	if n := len(c.inFlight()); n != 1 {
		t.Errorf("%d specs in flight beside the serial one", n)
	}
	if err := c.done(doneRequest{Worker: 2, Seq: 1}); err != nil {
		t.Fatal(err)
	}
	if a := receiveWithin(t, later, 10*time.Second); !a.Granted {
		t.Fatalf("the spec after the serial one: %+v", a)
	}
}

func TestCoordinatorAnswersInterruptedOnceStopped(t *testing.T) {
	c := newCoordinator(nil, newStatusBoard(nil, false, 0, 2))
	ctx := context.Background()
	if a, _ := c.claim(ctx, claimRequest{Worker: 1, Seq: 0, Key: "a"}); !a.Granted {
		t.Fatal("not given")
	}
	waiting := claimAsync(c, ctx, claimRequest{Worker: 2, Seq: 1, Key: "s", Serial: true})
	c.stop()
	if a := receiveWithin(t, waiting, 10*time.Second); a.Granted || !a.Interrupted {
		t.Errorf("a waiting claim after the stop: %+v", a)
	}
	if a, _ := c.claim(ctx, claimRequest{Worker: 2, Seq: 2, Key: "b"}); a.Granted || !a.Interrupted {
		t.Errorf("a claim after the stop: %+v", a)
	}
}

func TestCoordinatorStopsStartingSpecsOnceTheTargetIsGone(t *testing.T) {
	c := newCoordinator(nil, newStatusBoard(nil, false, 0, 2))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if a, _ := c.claim(ctx, claimRequest{Worker: 1, Seq: 0, Key: "a"}); !a.Granted {
		t.Fatal("not given")
	}
	waiting := claimAsync(c, ctx, claimRequest{Worker: 2, Seq: 1, Key: "s", Serial: true})
	stop := make(chan string, 1)
	go func() { stop <- c.awaitStop(ctx) }()
	const reason = "the target stopped answering at 12:03:41, after 1 of 3 specs (connect: connection refused)"
	c.targetDown(reason)
	if a := receiveWithin(t, waiting, 10*time.Second); a.Granted || a.NotRun != reason {
		t.Errorf("a waiting claim after the target went: %+v", a)
	}
	if a, _ := c.claim(ctx, claimRequest{Worker: 2, Seq: 2, Key: "b"}); a.Granted || a.NotRun != reason {
		t.Errorf("a claim after the target went: %+v", a)
	}
	select {
	case got := <-stop:
		if got != reason {
			t.Errorf("the workers' long poll answered %q, want %q", got, reason)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the workers' long poll did not end when the target went")
	}
	if err := c.done(doneRequest{Worker: 1, Seq: 0}); err != nil {
		t.Errorf("the spec that ran until the target went cannot be reported: %v", err)
	}
}

func TestCoordinatorHaltsAfterAFailureThatStopsAFailFastRun(t *testing.T) {
	c := newCoordinator(nil, newStatusBoard(nil, false, 0, 3))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for seq, w := range []int{1, 2} {
		if a, _ := c.claim(ctx, claimRequest{Worker: w, Seq: seq, Key: fmt.Sprint(seq)}); !a.Granted {
			t.Fatalf("spec %d not given", seq)
		}
	}
	if err := c.done(doneRequest{Worker: 1, Seq: 0, Failed: true}); err != nil {
		t.Fatal(err)
	}
	if a, _ := c.claim(ctx, claimRequest{Worker: 1, Seq: 3, Key: "3"}); !a.Granted || a.Halted {
		t.Fatalf("a failure that does not stop the run halted it: %+v", a)
	}
	// A serial spec comes last and waits for the running ones; the halt
	// must reach it while it waits. (Claimed before seq 3, it would hold
	// that claim back: non-serial claims wait behind a waiting serial one.)
	waiting := claimAsync(c, ctx, claimRequest{Worker: 3, Seq: 9, Key: "serial", Serial: true})
	waitSerialWaiting(t, c, 1)
	if err := c.done(doneRequest{Worker: 2, Seq: 1, Failed: true, Halt: true}); err != nil {
		t.Fatal(err)
	}
	if a := receiveWithin(t, waiting, 10*time.Second); a.Granted || !a.Halted {
		t.Errorf("a waiting claim after the halt: %+v", a)
	}
	if a, _ := c.claim(ctx, claimRequest{Worker: 2, Seq: 4, Key: "4"}); a.Granted || !a.Halted {
		t.Errorf("a new claim after the halt: %+v", a)
	}
	if a, _ := c.claim(ctx, claimRequest{Worker: 3, Seq: 4, Key: "4"}); a.Granted || a.Halted {
		t.Errorf("the second claim of a halted spec must skip it as claimed elsewhere: %+v", a)
	}
	if err := c.done(doneRequest{Worker: 1, Seq: 3}); err != nil {
		t.Errorf("a spec running at the halt finishes: %v", err)
	}
}

func TestHaltRuleCountsWhatTheGateCounts(t *testing.T) {
	failed := func(id string) types.SpecReport {
		return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: "x", State: types.SpecStateFailed,
			LeafNodeLabels: []string(framework.Clause(id, driver.REST))}
	}
	must, should := "WH-CRUD-001", ""
	cat, _ := framework.Catalogue()
	for _, c := range cat {
		if c.Level == "SHOULD" {
			should = c.ID
			break
		}
	}
	if should == "" {
		t.Fatal("the catalogue has no SHOULD clause")
	}
	passed := failed(must)
	passed.State = types.SpecStatePassed
	for _, tc := range []struct {
		name string
		rule haltRule
		r    types.SpecReport
		want bool
	}{
		{"a MUST failure", haltRule{}, failed(must), true},
		{"a pass", haltRule{}, passed, false},
		{"a SHOULD failure", haltRule{}, failed(should), false},
		{"a SHOULD failure with --strict", haltRule{Strict: true}, failed(should), true},
		{"an expected failure", haltRule{Expected: reports.ExpectedFailures{{ID: must}}}, failed(must), false},
	} {
		if got := tc.rule.stops(tc.r); got != tc.want {
			t.Errorf("%s: stops = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// fakeClock is a settable clock for the status board.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestStatusBoardPrintsPlainLinesOffATerminal(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := newStatusBoard(&out, false, 10*time.Second, 2)
	b.now = clock.now
	b.begin(3)
	long := &flight{seq: 0, tag: "WH-RTY-009/rest", wait: 30 * time.Second, started: clock.t}
	short := &flight{seq: 1, tag: "WH-CRUD-001/rest", wait: time.Second, started: clock.t}
	b.started(long)
	b.started(short)
	clock.t = clock.t.Add(2 * time.Second)
	b.tick()
	b.finished(short, "✓ crud WH-CRUD-001 rest ... (2s)", false)
	clock.t = clock.t.Add(3 * time.Second)
	b.tick() // within 10 s of the last status line: nothing
	clock.t = clock.t.Add(10 * time.Second)
	b.tick()
	b.close()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		"[0/3] 0 failed · running WH-RTY-009/rest 2s, WH-CRUD-001/rest 2s · 2s elapsed",
		"[1/3] ✓ crud WH-CRUD-001 rest ... (2s)",
		"[1/3] 0 failed · running WH-RTY-009/rest 15s · 15s elapsed, ~15s left",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("plain output:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if strings.ContainsAny(out.String(), "\r\x1b") {
		t.Errorf("plain output holds terminal controls: %q", out.String())
	}
}

func TestStatusBoardRedrawsOneLineOnATerminal(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := newStatusBoard(&out, true, 0, 1)
	b.now = clock.now
	b.begin(1)
	f := &flight{seq: 0, tag: "WH-STA-005/rest", started: clock.t}
	b.started(f)
	clock.t = clock.t.Add(time.Second)
	b.tick()
	b.tick()
	b.finished(f, "✗ state WH-STA-005 rest ... — boom", true)
	b.close()
	got := out.String()
	want := "[0/1] 0 failed · running WH-STA-005/rest 1s · 1s elapsed" +
		"\r\x1b[K[0/1] 0 failed · running WH-STA-005/rest 1s · 1s elapsed" +
		"\r\x1b[K[1/1] ✗ state WH-STA-005 rest ... — boom\n" +
		"[1/1] 1 failed · 1s elapsed, ~0s left" +
		"\r\x1b[K"
	if got != want {
		t.Errorf("live output %q\nwant %q", got, want)
	}
}

func TestScheduleStartsTheLongestWaitsFirst(t *testing.T) {
	p := framework.DefaultProfile()
	order := []string{"WH-RTY-009", "WH-VER-009", "WH-RTY-010", "WH-STA-005", "WH-STA-003", "WH-STA-010", "WH-RTY-001", "WH-CRUD-001"}
	for i := 1; i < len(order); i++ {
		if ExpectedWait(order[i-1], p) < ExpectedWait(order[i], p) {
			t.Errorf("%s (%s) is expected shorter than %s (%s)", order[i-1], ExpectedWait(order[i-1], p), order[i], ExpectedWait(order[i], p))
		}
	}
	if ExpectedWait("WH-RTY-009", p) < p.TargetTimeout {
		t.Errorf("the timeout spec is expected to wait less than the timeout")
	}
	for _, id := range []string{"WH-CRUD-007", "WH-CRUD-010", "WH-PAR-003", "WH-STA-015"} {
		if !SerialClause(id) {
			t.Errorf("%s observes the whole target but is not serial", id)
		}
	}
	cat, err := framework.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	for id := range waits {
		if _, ok := cat.Lookup(id); !ok {
			t.Errorf("the schedule names %s, which the catalogue lacks", id)
		}
	}
	for id := range serialClauses {
		if _, ok := cat.Lookup(id); !ok {
			t.Errorf("serialClauses names %s, which the catalogue lacks", id)
		}
	}
	tr := scheduleTransformer(p)
	_, args, _ := tr(types.NodeTypeIt, 0, "x", []any{framework.Clause("WH-CRUD-007", "rest")})
	if len(args) != 3 {
		t.Errorf("a serial spec gets Serial and the lowest priority: %v", args)
	}
	_, args, _ = tr(types.NodeTypeContainer, 0, "x", []any{framework.Clause("WH-RTY-009", "rest")})
	if len(args) != 1 {
		t.Errorf("a container is left alone: %v", args)
	}
}

func TestStatusBoardNumbersAndColoursFinishedSpecs(t *testing.T) {
	var out bytes.Buffer
	b := newStatusBoard(&out, false, time.Hour, 2)
	b.colour = true
	b.begin(12)
	for i, line := range []string{"✓ crud WH-CRUD-001 rest a (1s)", "✗ retry WH-RTY-002 rest b (1s) — boom", "- email WH-EML-001 rest c (0s) — skipped: x"} {
		f := &flight{seq: i, started: b.now()}
		b.started(f)
		b.finished(f, line, strings.HasPrefix(line, "✗"))
	}
	want := "[ 1/12] \x1b[32m✓\x1b[0m crud WH-CRUD-001 rest a (1s)\n" +
		"[ 2/12] \x1b[31m✗ retry WH-RTY-002 rest b (1s) — boom\x1b[0m\n" +
		"[ 3/12] \x1b[33m-\x1b[0m email WH-EML-001 rest c (0s) — skipped: x\n"
	if out.String() != want {
		t.Errorf("coloured output %q\nwant %q", out.String(), want)
	}
}

func TestCounterPadsToTheTotal(t *testing.T) {
	for _, c := range []struct {
		n, total int
		want     string
	}{{1, 9, "[1/9]"}, {7, 202, "[  7/202]"}, {202, 202, "[202/202]"}, {3, 0, "[3/?]"}} {
		if got := Counter(c.n, c.total); got != c.want {
			t.Errorf("Counter(%d, %d) = %q, want %q", c.n, c.total, got, c.want)
		}
	}
}
