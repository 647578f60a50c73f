// Command hookcheck-bench measures hookcheck side by side with the tools a
// user would pick instead (a bare net/http handler as the ceiling,
// go-httpbin, mockttp and WireMock), in one run on one machine, and writes
// the numbers to BENCHMARKS.md: receiver throughput and open-loop latency,
// memory at the journal bound, wait wake-up latency, fault fidelity,
// conformance-suite wall time and reference-service delivery rate.
//
// `make bench` builds it and runs it from the module root. Servers run on
// one core (taskset -c 0) and the load generator, this process, on another
// (it re-executes itself under taskset -c 1).
//
// Usage:
//
//	hookcheck-bench [flags]
//	hookcheck-bench bare --listen ADDR --addr-file FILE
//	hookcheck-bench load --url URL [--rate R] [--conns N] [--duration D]
//
// The second form is the bare net/http server the bench starts as its
// ceiling; the third is the load generator on its own, for reproducing
// one number by hand.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		if err := runBare(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "hookcheck-bench bare:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "load" {
		if err := runLoad(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "hookcheck-bench load:", err)
			os.Exit(1)
		}
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "hookcheck-bench:", err)
		os.Exit(2)
	}
	if argv, env, ok := cfg.pinSelf(); ok {
		// Run the rest of the bench, the load generator included, on the
		// load core; GOMAXPROCS follows the new affinity.
		err := syscall.Exec(argv[0], argv, env)
		fmt.Fprintln(os.Stderr, "hookcheck-bench: re-exec under taskset:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "hookcheck-bench:", err)
		os.Exit(1)
	}
}
