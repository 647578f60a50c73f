package reference

import (
	"context"
	"runtime/pprof"
)

// GoroutineLabel is the pprof label key set on every goroutine a Service
// starts (and inherited by the goroutines those start, such as HTTP
// connection loops); its value is unique per Service. Leak tests count the
// goroutines that carry it.
const GoroutineLabel = "hookcheck.reference"

// labelled runs fn with the service's goroutine label.
func (s *Service) labelled(fn func()) {
	pprof.Do(context.Background(), pprof.Labels(GoroutineLabel, s.label), func(context.Context) { fn() })
}
