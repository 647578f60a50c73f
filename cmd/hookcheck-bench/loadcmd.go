package main

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// runLoad is "hookcheck-bench load": the bench's load generator on its own,
// for poking at one server by hand (profiling, reproducing a number). It
// sends the signed 1 KB bench payload to --url and prints what it measured.
func runLoad(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	url := fs.String("url", "", "`URL` to POST the signed bench payload to")
	conns := fs.Int("conns", 64, "keep-alive connections")
	rate := fs.Float64("rate", 0, "open-loop requests per second; 0 = full (closed-loop) load")
	d := fs.Duration("duration", 10*time.Second, "how long to send")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	if *url == "" {
		return fmt.Errorf("--url is required")
	}
	req, err := benchRequest(*url)
	if err != nil {
		return err
	}
	self := startCPU(0)
	var res loadResult
	if *rate > 0 {
		res, err = openLoop(req, *conns, *rate, *d)
	} else {
		res, err = closedLoop(req, *conns, *d, 0)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%.0f req/s  ok %d  errors %d (%s)  unfinished %d  p50 %s  p99 %s  p99.9 %s  lag p99 %s  load cpu %.2f\n",
		res.Rate(), res.OK, res.Errors, res.FirstError, res.Unfinished, fmtDur(res.Pct(0.5)), fmtDur(res.Pct(0.99)), fmtDur(res.Pct(0.999)),
		fmtDur(quantile(res.Lag, 0.99)), self.share())
	return nil
}
