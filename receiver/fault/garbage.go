package fault

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// DefaultGarbageBytes is how many bytes garbage writes when fault.bytes is 0.
const DefaultGarbageBytes = 64

func init() {
	Register("garbage", func(f api.Fault, _ Limits) (Fault, error) {
		switch {
		case f.Bytes < 0:
			return nil, fmt.Errorf("bytes %d is negative; use 1..%d, or leave it out for %d", f.Bytes, MaxGarbageBytes, DefaultGarbageBytes)
		case f.Bytes > MaxGarbageBytes:
			return nil, fmt.Errorf("bytes %d is above the limit; use 1..%d", f.Bytes, MaxGarbageBytes)
		case f.Bytes == 0:
			return garbage{n: DefaultGarbageBytes}, nil
		}
		return garbage{n: f.Bytes}, nil
	})
}

// garbage answers with random bytes that are not HTTP, then closes the
// connection. The bytes come from the rule's seeded RNG (Plan.Data).
type garbage struct {
	n int
}

// Name returns "garbage".
func (garbage) Name() string { return "garbage" }

// Draw returns the bytes for one call: random, never starting with "HTTP/",
// and ending in a line feed so the client rejects them at once instead of
// waiting for more.
func (g garbage) Draw(rng *rand.Rand) []byte {
	b := make([]byte, g.n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	if bytes.HasPrefix(b, []byte("HTTP/")) {
		b[0] = '?'
	}
	b[len(b)-1] = '\n'
	return b
}

// Serve writes p.Data on the raw connection and closes it.
func (garbage) Serve(_ context.Context, w http.ResponseWriter, r *http.Request, p *Plan) error {
	conn, err := hijack(w, r)
	if err != nil {
		return err
	}
	_, werr := conn.Write(p.Data)
	cerr := conn.Close()
	switch {
	case werr != nil:
		return fmt.Errorf("write %d bytes: %w", len(p.Data), werr)
	case cerr != nil:
		return fmt.Errorf("close connection: %w", cerr)
	}
	return nil
}
