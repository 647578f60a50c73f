package reference_test

import (
	"fmt"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

var _ = Describe("core: concurrency and shutdown", func() {
	It("does not let a hung target delay another hook's delivery", func() {
		hung := newCoreTarget(false)
		fast := newCoreTarget(false)
		s := newCoreService(reference.Options{})
		createCoreHook(s, "hung", hung.URL(), "a.b")
		createCoreHook(s, "fast", fast.URL(), "a.b")
		hung.AnswerAll(coreAnswer{Hang: true})

		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		hung.WaitDeliveries(1) // its request is now pending, and stays so
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 2, nil)).To(Succeed())
		Eventually(fast.DeliveryCount, 2*time.Second, 2*time.Millisecond).Should(Equal(2))
		Expect(hung.DeliveryCount()).To(Equal(1), "the hung hook is still on its first request")
	})

	It("closes promptly with requests in flight and retries pending, leaving no goroutine behind", func() {
		hung := newCoreTarget(false)
		failing := newCoreTarget(false)
		s, err := reference.New(reference.Options{AllowHTTP: true, TimeScale: 1})
		Expect(err).NotTo(HaveOccurred())
		createCoreHook(s, "hung", hung.URL(), "a.b")
		createCoreHook(s, "failing", failing.URL(), "a.b")
		hung.AnswerAll(coreAnswer{Hang: true})
		failing.AnswerAll(coreAnswer{Status: 500})
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		hung.WaitDeliveries(1)
		failing.WaitDeliveries(1) // now waiting 1 s for its retry
		Expect(coreLabelledGoroutines(s)).To(BeNumerically(">=", 2))

		done := make(chan error, 1)
		go func() { done <- s.Close() }()
		Eventually(done, 2*time.Second).Should(Receive(BeNil()))
		Eventually(func() int { return coreLabelledGoroutines(s) }, 2*time.Second, 10*time.Millisecond).Should(BeZero())
		Expect(failing.DeliveryCount()).To(Equal(1), "no retry after Close")
	})

	It("stays consistent under concurrent saves, signals and reads (run with -race)", func() {
		target := newCoreTarget(false)
		s := newCoreService(reference.Options{})
		const hooks, signals = 8, 25
		var wg sync.WaitGroup
		ids := make(chan int32, hooks)
		for i := range hooks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer GinkgoRecover()
				w, err := s.Create(coreCtx, coreAdmin, reference.Webhook{
					Name: fmt.Sprintf("h%d", i), Events: []string{"a.b"}, TargetURL: target.URL(),
				})
				Expect(err).NotTo(HaveOccurred())
				ids <- w.WebhookID
			}()
		}
		wg.Wait()
		close(ids)
		for range signals {
			wg.Add(2)
			go func() {
				defer wg.Done()
				defer GinkgoRecover()
				Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, map[string]any{"k": 1})).To(Succeed())
			}()
			go func() {
				defer wg.Done()
				defer GinkgoRecover()
				all, err := s.List(coreCtx, coreAdmin, reference.Filter{Event: "a.b"})
				Expect(err).NotTo(HaveOccurred())
				Expect(all).To(HaveLen(hooks))
				_, err = s.Modify(coreCtx, coreAdmin, all[0].WebhookID, reference.Condition{}, func(w *reference.Webhook) error {
					w.Name = "renamed"
					return nil
				})
				Expect(err).NotTo(HaveOccurred())
			}()
		}
		wg.Wait()
		Eventually(target.DeliveryCount, 10*time.Second, 5*time.Millisecond).Should(Equal(hooks * signals))
		for id := range ids {
			Eventually(coreUsage(s, id)).Should(HaveField("TotalCalls", int64(signals)))
		}
	})

	It("delivers in parallel across hooks", func() {
		const n = 6
		release := make(chan struct{})
		arrived := make(chan struct{}, n)
		var once sync.Once
		open := func() { once.Do(func() { close(release) }) }
		DeferCleanup(open)
		s := newCoreService(reference.Options{})
		for i := range n {
			t := newCoreTarget(false)
			createCoreHook(s, fmt.Sprintf("p%d", i), t.URL(), "a.b")
			t.Answer(func(int, coreHit) coreAnswer {
				arrived <- struct{}{}
				select { // every target holds its answer until all have been reached
				case <-release:
				case <-time.After(5 * time.Second):
				}
				return coreAnswer{Status: 200}
			})
		}
		Expect(s.Signal(coreCtx, coreAdmin, "a.b", 1, nil)).To(Succeed())
		for range n {
			Eventually(arrived, 2*time.Second).Should(Receive())
		}
		open()
	})
})
