package receiver_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookcheck/hookcheck/receiver"
	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/client"
)

// benchPayload returns a SuperOffice-shaped webhook body of about size bytes.
func benchPayload(size int) []byte {
	head := `{"EventId":"88f91933-edce-4c1a-8ded-ade8e2f72434","Timestamp":"2025-05-14T10:48:07.8912039Z",` +
		`"Changes":["contact_id","updated_associate_id","soundEx","updated","name"],"Event":"contact.changed",` +
		`"PrimaryKey":18,"Entity":"contact","ContextIdentifier":"Cust54321","ChangedByAssociateId":5,` +
		`"WebhookName":"Tonys Contact Handler","FieldValues":{"associate_id":12,"category_idx":4,"name":"`
	tail := `"}}`
	pad := size - len(head) - len(tail)
	return []byte(head + strings.Repeat("x", max(pad, 0)) + tail)
}

// BenchmarkThroughput compares the receiver's hot path (recording and
// signature checking on) with a bare net/http handler that only drains the
// body, on a 1 KB signed payload over loopback. Both run in the same
// process and the same iteration of the parent benchmark, so -count=N
// interleaves them; `make bench` turns the pairs into a ratio.
func BenchmarkThroughput(b *testing.B) {
	const secret = "bench-secret"
	body := benchPayload(1024)
	sig := receiver.Sign(secret, body)

	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	defer bare.Close()

	rv, err := receiver.Start(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off})
	if err != nil {
		b.Fatal(err)
	}
	defer rv.Close()
	ch, err := client.New(rv.URL()).CreateChannel(context.Background(), api.ChannelRequest{ID: "bench", Secret: secret})
	if err != nil {
		b.Fatal(err)
	}

	// The same receiver keeping its calls in a data directory (group
	// commits, off the request path).
	kept, err := receiver.Start(receiver.Config{TLSListen: receiver.Off, SMTPListen: receiver.Off, DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer kept.Close()
	keptCh, err := client.New(kept.URL()).CreateChannel(context.Background(), api.ChannelRequest{ID: "bench", Secret: secret})
	if err != nil {
		b.Fatal(err)
	}

	for _, tc := range []struct{ name, url string }{{"bare", bare.URL + "/hooks/bench"}, {"receiver", ch.URL}, {"datadir", keptCh.URL}} {
		b.Run(tc.name, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, tc.url, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json; charset=utf-8")
					req.Header.Set("X-SuperOffice-Event", "contact.changed")
					req.Header.Set("X-SuperOffice-EventId", "88f91933-edce-4c1a-8ded-ade8e2f72434")
					req.Header.Set("X-SuperOffice-Signature", sig)
					resp, err := hc.Do(req)
					if err != nil {
						panic(fmt.Sprintf("%s: %v", tc.name, err))
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						panic(fmt.Sprintf("%s: status %d", tc.name, resp.StatusCode))
					}
				}
			})
		})
	}
	list, err := client.New(rv.URL()).Calls(context.Background(), "bench", client.CallQuery{Limit: 1})
	if err == nil && len(list.Calls) == 1 && list.Calls[0].Signature != api.SignatureValid {
		b.Fatalf("receiver judged the benchmark signature %q", list.Calls[0].Signature)
	}
}
