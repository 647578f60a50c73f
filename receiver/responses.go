package receiver

import (
	"reflect"
	"sync/atomic"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// responses hands out shared, read-only copies of the answers a channel
// records. Almost every call of a channel gets one of the same few answers
// (the default 200, or a rule's), so a call holds a pointer to one shared
// copy instead of its own: that keeps storedCall small and its answer free
// of per-call allocations. A few recent answers are remembered; an answer
// that matches none of them gets a copy of its own.
type responses struct {
	recent [4]atomic.Pointer[api.Response]
	next   atomic.Uint32
}

// intern returns a shared copy of r. Its Headers and Body may be shared
// with the fault script; neither is ever modified.
func (rs *responses) intern(r api.Response) *api.Response {
	for i := range rs.recent {
		if p := rs.recent[i].Load(); p != nil && sameResponse(p, &r) {
			return p
		}
	}
	own := r // only a new answer is copied to the heap
	rs.recent[rs.next.Add(1)%uint32(len(rs.recent))].Store(&own)
	return &own
}

// sameResponse reports whether a and b record the same answer.
func sameResponse(a, b *api.Response) bool {
	if a.Status != b.Status || a.Fault != b.Fault || a.DelayMs != b.DelayMs || a.Rule != b.Rule || a.Body != b.Body || len(a.Headers) != len(b.Headers) {
		return false
	}
	if reflect.ValueOf(a.Headers).UnsafePointer() == reflect.ValueOf(b.Headers).UnsafePointer() {
		return true // the same map: usually a rule's shared headers
	}
	for k, av := range a.Headers {
		bv, ok := b.Headers[k]
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if av[i] != bv[i] {
				return false
			}
		}
	}
	return true
}
