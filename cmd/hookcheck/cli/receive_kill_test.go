package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// waitChildAddrFile waits until a receive child wrote its addresses to
// path, failing early when the child exits first.
func (c *child) waitAddrFile(path string) api.Addresses {
	GinkgoHelper()
	var addrs api.Addresses
	Eventually(func(g Gomega) {
		select {
		case code := <-c.done:
			c.done <- code
			StopTrying(fmt.Sprintf("hookcheck exited with %d before writing %s:\n%s", code, path, c.output())).Now()
		default:
		}
		b, err := os.ReadFile(path)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(json.Unmarshal(b, &addrs)).To(Succeed())
	}, time.Minute, 10*time.Millisecond).Should(Succeed())
	return addrs
}

// sentCall is one call the load sent and what the sender saw.
type sentCall struct {
	body       []byte
	signed     bool // with the right signature (else a wrong one)
	status     int
	answeredAt time.Time
}

var _ = Describe("hookcheck receive --data-dir, killed with SIGKILL under load", func() {
	It("answers at the same URL with the same secret and script after a restart, and holds every call answered before the window, byte for byte, once", func() {
		dir := filepath.Join(GinkgoT().TempDir(), "data")
		first := filepath.Join(GinkgoT().TempDir(), "addr1.json")
		rv1 := startChild("receive", "--data-dir", dir, "--listen", "127.0.0.1:0", "--tls-listen", "off", "--smtp-listen", "off", "--addr-file", first)
		addrs := rv1.waitAddrFile(first)
		c := client.New(addrs.HTTP)
		const secret = "kill-9-secret"
		const times = 1000000
		ch, err := c.CreateChannel(ctx(), api.ChannelRequest{ID: "killed", Secret: secret, Script: []api.Rule{
			{Match: &api.Match{Nth: "1-3"}, Times: ptrTo(3), Respond: &api.Respond{Status: 503}},
			{Times: ptrTo(times), Respond: &api.Respond{Status: 202, Body: "taken"}},
		}})
		Expect(err).NotTo(HaveOccurred())

		// Signed calls from 8 senders over keep-alive connections, every
		// tenth with a wrong signature, each body unique.
		const senders = 8
		var (
			mu       sync.Mutex
			sent     []sentCall
			answered atomic.Int64
			stop     = make(chan struct{})
			wg       sync.WaitGroup
		)
		for g := range senders {
			wg.Add(1)
			go func() {
				defer GinkgoRecover()
				defer wg.Done()
				hc := &http.Client{Timeout: 30 * time.Second}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					body := fmt.Appendf(nil, `{"Event":"contact.changed","sender":%d,"n":%d,"pad":%q}`, g, i, bytes.Repeat([]byte{'a' + byte(i%26)}, 200+i%700))
					signed := i%10 != 9
					sig := receiver.Sign(secret, body)
					if !signed {
						sig = receiver.Sign("another secret", body)
					}
					req, _ := http.NewRequest(http.MethodPost, ch.URL, bytes.NewReader(body))
					req.Header.Set("X-SuperOffice-Signature", sig)
					req.Header.Set("X-SuperOffice-Event", "contact.changed")
					resp, err := hc.Do(req)
					if err != nil {
						return // killed
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					at := time.Now()
					mu.Lock()
					sent = append(sent, sentCall{body: body, signed: signed, status: resp.StatusCode, answeredAt: at})
					mu.Unlock()
					answered.Add(1)
				}
			}()
		}
		DeferCleanup(func() {
			select {
			case <-stop:
			default:
				close(stop)
			}
			wg.Wait()
		})
		// Kill well into the load, while calls keep coming.
		Eventually(answered.Load, 2*time.Minute, 10*time.Millisecond).Should(BeNumerically(">=", 3000))
		info, err := c.Channel(ctx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		lastSeen := info.Last // a seq the control API showed: never to be used again
		killedAt := time.Now()
		Expect(rv1.cmd.Process.Kill()).To(Succeed()) // SIGKILL
		rv1.wait(time.Minute)
		close(stop)
		wg.Wait()

		// The same port, so the same URL.
		second := filepath.Join(GinkgoT().TempDir(), "addr2.json")
		listen := strings.TrimPrefix(addrs.HTTP, "http://")
		rv2 := startChild("receive", "--data-dir", dir, "--listen", listen, "--tls-listen", "off", "--smtp-listen", "off", "--addr-file", second)
		Expect(rv2.waitAddrFile(second).HTTP).To(Equal(addrs.HTTP))
		again, err := c.Channel(ctx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(again.URL).To(Equal(ch.URL))
		Expect(again.HasSecret).To(BeTrue())

		list, err := c.Calls(ctx(), ch.ID, client.CallQuery{})
		Expect(err).NotTo(HaveOccurred())
		byBody := map[string]api.Call{}
		var prev uint64
		onDisk202 := 0
		for _, call := range list.Calls {
			Expect(call.Seq).To(BeNumerically(">", prev), "seqs strictly increase: nothing duplicated")
			prev = call.Seq
			Expect(byBody).NotTo(HaveKey(call.Body), "call %d is there twice", call.Seq)
			byBody[call.Body] = call
			if call.Response.Rule == 1 {
				onDisk202++
			}
		}
		mu.Lock()
		calls := append([]sentCall(nil), sent...)
		mu.Unlock()
		sort.Slice(calls, func(i, j int) bool { return calls[i].answeredAt.Before(calls[j].answeredAt) })
		sentBodies := map[string]bool{}
		answered202, checked, missingInWindow := 0, 0, 0
		var newestMissing time.Duration = -1
		for _, s := range calls {
			sentBodies[string(s.body)] = true
			if s.status == 202 {
				answered202++
			}
			call, ok := byBody[string(s.body)]
			if !ok {
				age := killedAt.Sub(s.answeredAt)
				Expect(age).To(BeNumerically("<", receiver.DurabilityWindow), "a call answered %s before the kill is not on disk", age)
				missingInWindow++
				if newestMissing < 0 || age > newestMissing {
					newestMissing = age
				}
				continue
			}
			checked++
			Expect([]byte(call.Body)).To(Equal(s.body), "byte for byte")
			Expect(call.BodySize).To(Equal(int64(len(s.body))))
			Expect(call.Response.Status).To(Equal(s.status), "the answer given")
			if s.signed {
				Expect(call.Signature).To(Equal(api.SignatureValid))
			} else {
				Expect(call.Signature).To(Equal(api.SignatureInvalid))
			}
			Expect(call.Header("X-SuperOffice-Signature")).NotTo(BeEmpty())
			Expect(call.RawHeaders).NotTo(BeEmpty(), "the header lines as sent")
		}
		inFlight := 0
		for body, call := range byBody {
			if !sentBodies[body] {
				// Recorded, but its answer never reached the sender: one in
				// flight per sender at most, and still a call it sent.
				inFlight++
				Expect(json.Valid([]byte(body))).To(BeTrue(), "call %d: %q", call.Seq, body)
				Expect(call.Body).To(ContainSubstring(`"sender":`))
			}
		}
		Expect(inFlight).To(BeNumerically("<=", senders))
		GinkgoWriter.Printf("kill -9 under load: %d calls answered before the kill, %d on disk, %d checked byte for byte, %d answered within %s of the kill and missing (oldest of them answered %s before it)\n",
			len(calls), len(list.Calls), checked, missingInWindow, receiver.DurabilityWindow, newestMissing)

		// The script goes on where it stopped: the nth rule is spent, the
		// times rule has used at least the uses on disk and at most the
		// uses the senders saw.
		script, err := c.Script(ctx(), ch.ID)
		Expect(err).NotTo(HaveOccurred())
		Expect(*script.UsesLeft[0]).To(BeZero())
		Expect(*script.UsesLeft[1]).To(BeNumerically("<=", times-onDisk202))
		Expect(*script.UsesLeft[1]).To(BeNumerically(">=", times-answered202-senders))

		// The same secret checks signatures, and numbering goes on past
		// every seq handed out before the kill.
		body := []byte(`{"Event":"after.restart"}`)
		req, _ := http.NewRequest(http.MethodPost, ch.URL, bytes.NewReader(body))
		req.Header.Set("X-SuperOffice-Signature", receiver.Sign(secret, body))
		resp, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		resp.Body.Close()
		Expect(resp.StatusCode).To(Equal(202))
		after, err := c.WaitCalls(ctx(), ch.ID, prev, 1, 10*time.Second)
		Expect(err).NotTo(HaveOccurred())
		Expect(after).To(HaveLen(1))
		Expect(after[0].Signature).To(Equal(api.SignatureValid))
		Expect(after[0].Seq).To(BeNumerically(">", lastSeen))
	})
})

func ptrTo[T any](v T) *T { return &v }
