package reference_test

import (
	"bytes"
	"context"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// benchHooks is how many webhooks subscribe to the benchmark's event.
const benchHooks = 100

// BenchmarkDelivery measures the delivery engine end to end: one
// SignalEvent fans out to 100 subscribed webhooks, all posting to a
// receiver channel, and an iteration ends when the receiver has recorded
// all 100 calls. It reports deliveries per second, the SignalEvent to
// receipt latency (p50, p99) from the receiver's timestamps, and the same
// number of plain HTTP posts to the same receiver, from 100 goroutines, as
// the baseline ("ratio" = engine deliveries/s ÷ baseline posts/s).
func BenchmarkDelivery(b *testing.B) {
	ctx := context.Background()
	rv, err := receiver.Start(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, MaxCalls: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer rv.Close()
	rc := client.New(rv.URL())
	ch, err := rc.CreateChannel(ctx, api.ChannelRequest{ID: "bench", Secret: "s3cret"})
	if err != nil {
		b.Fatal(err)
	}
	base, err := rc.CreateChannel(ctx, api.ChannelRequest{ID: "baseline"})
	if err != nil {
		b.Fatal(err)
	}

	svc, err := reference.New(reference.Options{AllowHTTP: true})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	caller := reference.Caller{Associate: &reference.Associate{AssociateID: 5}}
	for i := range benchHooks {
		_, err := svc.Save(ctx, caller, reference.Webhook{
			Name: "bench-" + strconv.Itoa(i), Events: []string{"contact.changed"},
			TargetURL: ch.URL, Secret: "s3cret", Type: "webhook",
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// Each save sent one test event; start counting after them.
	list, err := rc.Calls(ctx, ch.ID, client.CallQuery{Min: benchHooks, Wait: 10 * time.Second})
	if err != nil || len(list.Calls) < benchHooks {
		b.Fatalf("test events: %v (%d calls)", err, len(list.Calls))
	}
	after := list.Last

	var latencies []time.Duration
	var engine time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := svc.Signal(ctx, caller, "contact.changed", int32(i+1), map[string]any{"name": "Acme"}); err != nil {
			b.Fatal(err)
		}
		calls, err := rc.WaitCalls(ctx, ch.ID, after, benchHooks, 30*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		engine += time.Since(start)
		for _, c := range calls[:benchHooks] {
			latencies = append(latencies, c.ReceivedAt.Sub(start))
			if c.Signature != api.SignatureValid {
				b.Fatalf("delivery judged %q", c.Signature)
			}
		}
		after = calls[benchHooks-1].Seq
	}
	b.StopTimer()

	baseline := postBaseline(b, base.URL, b.N*benchHooks)
	deliveries := float64(b.N*benchHooks) / engine.Seconds()
	posts := float64(b.N*benchHooks) / baseline.Seconds()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	b.ReportMetric(deliveries, "deliveries/s")
	b.ReportMetric(posts, "baseline-posts/s")
	b.ReportMetric(deliveries/posts, "ratio")
	b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
	b.ReportMetric(ms(latencies[len(latencies)*99/100]), "p99-ms")
}

// postBaseline posts n small signed-size bodies to url from benchHooks
// goroutines and returns how long it took.
func postBaseline(b *testing.B, url string, n int) time.Duration {
	body := bytes.Repeat([]byte("x"), 400)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchHooks}}
	work := make(chan struct{}, n)
	for range n {
		work <- struct{}{}
	}
	close(work)
	start := time.Now()
	var wg sync.WaitGroup
	for range benchHooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				resp, err := hc.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
