package reproduce_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	"github.com/hookcheck/hookcheck/conformance/embedded"
	"github.com/hookcheck/hookcheck/conformance/framework"
	"github.com/hookcheck/hookcheck/conformance/reproduce"
)

// timeScale compresses the reference's schedule: 1 s and 4 s become
// 50 ms and 200 ms, still far apart against the profile's tolerance.
const timeScale = 0.05

// reproduceOn runs scenario name against the embedded reference with the
// given mutant ("" for none) and returns the result and the steps the
// observer saw.
func reproduceOn(mutant, name string, keep bool) (*reproduce.Result, []reproduce.Step, *framework.Env) {
	GinkgoHelper()
	opts := embedded.Options{TimeScale: timeScale, Mutant: mutant}
	env, closeEnv, err := framework.Open(context.Background(), framework.OpenConfig{
		StartTarget: embedded.Starter(opts), Profile: embedded.Profile(opts),
	})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(closeEnv)
	sc, err := reproduce.Find(name)
	Expect(err).NotTo(HaveOccurred())
	var seen []reproduce.Step
	res, err := reproduce.Reproduce(context.Background(), sc, reproduce.Options{
		Env: env, Keep: keep, Observe: func(s reproduce.Step) { seen = append(seen, s) },
	})
	Expect(err).NotTo(HaveOccurred())
	return res, seen, env
}

// storedHooks lists the webhooks stored on the target of env.
func storedHooks(env *framework.Env) []driver.Webhook {
	GinkgoHelper()
	d, _ := env.Driver(driver.REST)
	list, err := d.List(context.Background(), driver.Filter{})
	Expect(err).NotTo(HaveOccurred())
	return list
}

// differences returns the verdict's differences as lines.
func differences(res *reproduce.Result) []string {
	var out []string
	for _, d := range res.Verdict.Differences {
		out = append(out, d.String())
	}
	return out
}

var _ = Describe("reproduce", func() {
	It("lists five scenarios, each with a one-line summary", func() {
		Expect(reproduce.Names()).To(Equal([]string{"gone", "recover", "retry-schedule", "too-many-errors", "verify-url"}))
		for _, s := range reproduce.Scenarios() {
			Expect(s.Summary).NotTo(BeEmpty())
			Expect(s.Summary).NotTo(ContainSubstring("\n"))
		}
		_, err := reproduce.Find("too-many-error")
		Expect(err).To(MatchError(ContainSubstring(`unknown scenario "too-many-error"`)))
	})

	Describe("too-many-errors", func() {
		It("reaches TooManyErrors after 9 failed attempts in 3 cycles on the reference, with the state event and the e-mail", func() {
			res, seen, env := reproduceOn("", "too-many-errors", false)
			Expect(differences(res)).To(BeEmpty())
			Expect(res.ExitCode()).To(Equal(0))
			Expect(res.Verdict.Summary).To(MatchRegexp(`^9 failed attempts in 3 cycles over [0-9.]+ m?s, then TooManyErrors, as documented \(time scale 0.05\)$`))
			as := res.Attempts()
			Expect(as).To(HaveLen(9))
			for i, a := range as {
				Expect(a.N).To(Equal(i + 1))
				Expect(a.Cycle).To(Equal(i/3 + 1))
				Expect(a.Status).To(Equal(500))
			}
			Expect(as[0].Retry).To(BeEmpty())
			Expect(as[2].Retry).To(Equal("2"))
			kinds := map[reproduce.StepKind]int{}
			for _, s := range res.Steps {
				kinds[s.Kind]++
			}
			Expect(kinds).To(HaveKeyWithValue(reproduce.KindState, 1))
			Expect(kinds).To(HaveKeyWithValue(reproduce.KindStateEvent, 1))
			Expect(kinds).To(HaveKeyWithValue(reproduce.KindMail, 1))
			Expect(seen).To(HaveLen(len(res.Steps)), "the observer saw every step as it happened")
			Expect(seen[len(seen)-1].State).To(Equal(driver.StateTooManyErrors))
			Expect(storedHooks(env)).To(BeEmpty(), "the hooks were deleted")
			Expect(env.RV.Channels(context.Background())).To(HaveField("Channels", BeEmpty()), "the channels were forgotten")
		})

		It("names the threshold when the target turns TooManyErrors after 8 attempts", func() {
			res, _, _ := reproduceOn("threshold-8", "too-many-errors", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(res.Verdict.Summary).To(ContainSubstring("the hook turned TooManyErrors after 8 failed attempts; expected after 9 (--error-threshold)"))
			Expect(res.Attempts()).To(HaveLen(8))
		})

		It("signals again and names the threshold when 9 failed attempts leave the hook Active", func() {
			res, _, _ := reproduceOn("threshold-10", "too-many-errors", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(res.Verdict.Summary).To(ContainSubstring("stayed Active after 9 failed attempts and turned TooManyErrors only after 10"))
			Expect(res.Attempts()[9].PrimaryKey).To(Equal(int64(2)), "a second event kept the hook failing")
		})
	})

	Describe("gone", func() {
		It("shows one attempt, TooManyErrors at once and no retry on the reference", func() {
			res, _, _ := reproduceOn("", "gone", false)
			Expect(differences(res)).To(BeEmpty())
			Expect(res.Attempts()).To(HaveLen(1))
			Expect(res.Verdict.Summary).To(HavePrefix("one 410 Gone: TooManyErrors"))
		})

		It("names the retry of a target that retries a 410", func() {
			res, _, _ := reproduceOn("gone-retried", "gone", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(res.Verdict.Summary).To(MatchRegexp(`attempt 2 followed the 410 after .*; expected no retry`))
		})
	})

	Describe("retry-schedule", func() {
		It("measures the documented delays and a new EventId for the next cycle on the reference", func() {
			res, _, _ := reproduceOn("", "retry-schedule", false)
			Expect(differences(res)).To(BeEmpty())
			as := res.Attempts()
			Expect(as).To(HaveLen(4))
			Expect(as[3].Delivered).To(BeTrue())
			Expect(as[3].EventID).NotTo(Equal(as[0].EventID))
			Expect(res.Verdict.Summary).To(ContainSubstring("then a new cycle (new EventId) delivered"))
		})

		It("names the short delay of a target that waits 2 s instead of 4 s", func() {
			res, _, _ := reproduceOn("retry-delay-2s", "retry-schedule", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(res.Verdict.Summary).To(MatchRegexp(`attempt 3 came \d+ ms after attempt 2; expected 200 ms`))
		})

		It("refuses a profile whose threshold ends the hook within one cycle", func() {
			sc, err := reproduce.Find("retry-schedule")
			Expect(err).NotTo(HaveOccurred())
			p := framework.DefaultProfile()
			p.ErrorThreshold = 3
			Expect(sc.Check(p)).To(MatchError(ContainSubstring("--error-threshold 3")))
		})
	})

	Describe("recover", func() {
		It("drops the outage's event, reactivates and delivers the next one on the reference", func() {
			res, _, _ := reproduceOn("", "recover", false)
			Expect(differences(res)).To(BeEmpty())
			as := res.Attempts()
			Expect(as).To(HaveLen(2))
			Expect(as[1].PrimaryKey).To(Equal(int64(3)))
			Expect(as[1].Delivered).To(BeTrue())
			var notes []string
			for _, s := range res.Steps {
				notes = append(notes, s.Text)
			}
			Expect(notes).To(ContainElement(ContainSubstring("usage statistics after the delivery: total_calls 2, total_errors 1, consecutive_errors 0")))
			Expect(notes).To(ContainElement(MatchRegexp(`webhook\d+\.started reached the watcher`)))
		})

		It("names the delivery to a TooManyErrors hook", func() {
			res, _, _ := reproduceOn("deliver-while-toomanyerrors", "recover", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(res.Verdict.Summary).To(ContainSubstring("PrimaryKey 2, signalled while the hook was TooManyErrors, was delivered to it"))
		})
	})

	Describe("verify-url", func() {
		It("shows every save refused but the one whose target answers 200 on the reference", func() {
			res, _, env := reproduceOn("", "verify-url", false)
			Expect(differences(res)).To(BeEmpty())
			Expect(res.Verdict.Summary).To(Equal("5 saves — 500: refused, reset: refused, timeout: refused, 302: refused, 200: stored, as documented (time scale 0.05)"))
			Expect(res.Attempts()).To(HaveLen(5), "each save sent one test event")
			Expect(storedHooks(env)).To(BeEmpty(), "the stored hook was deleted")
		})

		It("names a save stored despite a failed check", func() {
			res, _, env := reproduceOn("save-despite-failed-check", "verify-url", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(res.Verdict.Summary).To(ContainSubstring("while the TargetUrl answers 500 the target stored the webhook"))
			Expect(storedHooks(env)).To(BeEmpty(), "the wrongly stored hooks were deleted too")
		})

		It("names a followed redirect", func() {
			res, _, _ := reproduceOn("redirect-followed", "verify-url", false)
			Expect(res.ExitCode()).To(Equal(1))
			Expect(differences(res)).To(ContainElement(ContainSubstring("the target followed the 302 to its Location")))
		})
	})

	It("leaves the hooks and channels in place when kept", func() {
		res, _, env := reproduceOn("", "gone", true)
		Expect(res.Kept).To(BeTrue())
		var ids []int32
		for _, wh := range storedHooks(env) {
			ids = append(ids, wh.ID)
		}
		Expect(ids).To(HaveLen(2))
		for _, h := range res.Hooks {
			Expect(ids).To(ContainElement(h.ID))
		}
		for _, c := range res.Channels {
			Expect(c.Inspector).To(Equal(env.Receiver.ControlURL + "/#/channels/" + c.ID))
			_, err := env.RV.Channel(context.Background(), c.ID)
			Expect(err).NotTo(HaveOccurred(), "channel %s is still there", c.ID)
		}
	})

	It("writes the result as JSON and as one page with the timeline drawn", func() {
		res, _, _ := reproduceOn("threshold-8", "too-many-errors", false)
		var js bytes.Buffer
		Expect(reproduce.WriteJSON(&js, res)).To(Succeed())
		var back reproduce.Result
		Expect(json.Unmarshal(js.Bytes(), &back)).To(Succeed())
		Expect(back.Verdict).To(Equal(res.Verdict))
		Expect(back.Attempts()).To(HaveLen(8))
		var page bytes.Buffer
		Expect(reproduce.WriteHTML(&page, res)).To(Succeed())
		html := page.String()
		Expect(html).To(ContainSubstring(`<svg class="timeline"`))
		Expect(strings.Count(html, `<g class="marker bad">`)).To(Equal(8))
		Expect(html).To(ContainSubstring("DIFFERENT"))
		Expect(html).To(ContainSubstring("after 8 failed attempts"))
		Expect(html).NotTo(MatchRegexp(`(?i)<(script|link)[^>]+(src|href)=`), "the page loads nothing")
	})
})
