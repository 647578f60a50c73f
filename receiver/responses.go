package receiver

import (
	"reflect"

	"github.com/hookcheck/hookcheck/receiver/api"
	"github.com/hookcheck/hookcheck/receiver/fault"
)

// responses is a channel's table of the answers its held calls got. Almost
// every call of a channel gets one of the same few answers (the default
// 200, or a rule's), so a call holds a small index into this table instead
// of an answer of its own. That keeps storedCall free of pointers to the
// Go heap, which spares the garbage collector a visit per held call, and
// keeps the hot path free of allocations. Entries are counted: a row goes
// when the last call holding it is let go of.
//
// responses has no lock of its own. Every use happens inside a callback
// of the channel's journal (Append's build, Update, Release, FindMap's
// conversion), under the journal's lock.
type responses struct {
	rows   []responseRow // index 0 is "no answer"
	free   []uint32
	recent [4]uint32 // rows interned lately, where intern looks first
	next   int
}

// responseRow is one shared answer and how many held calls point at it.
type responseRow struct {
	r    *api.Response
	refs int
}

// intern returns the index of a row holding r, counting one more holder.
// r's Headers and Body may be shared with the fault script; neither is
// ever modified.
func (rs *responses) intern(r *api.Response) uint32 {
	for _, i := range rs.recent {
		if i != 0 && i < uint32(len(rs.rows)) && rs.rows[i].refs > 0 && sameResponse(rs.rows[i].r, r) {
			rs.rows[i].refs++
			return i
		}
	}
	own := *r // only a new answer is copied to the heap
	row := responseRow{r: &own, refs: 1}
	var i uint32
	if n := len(rs.free); n > 0 {
		i = rs.free[n-1]
		rs.free = rs.free[:n-1]
		rs.rows[i] = row
	} else {
		if len(rs.rows) == 0 {
			rs.rows = append(rs.rows, responseRow{})
		}
		i = uint32(len(rs.rows))
		rs.rows = append(rs.rows, row)
	}
	rs.recent[rs.next%len(rs.recent)] = i
	rs.next++
	return i
}

// release drops one holder of row i (0 is no row).
func (rs *responses) release(i uint32) {
	if i == 0 || i >= uint32(len(rs.rows)) || rs.rows[i].refs == 0 {
		return
	}
	if rs.rows[i].refs--; rs.rows[i].refs == 0 {
		rs.rows[i].r = nil
		rs.free = append(rs.free, i)
	}
}

// get returns the answer of row i, or nil for no row.
func (rs *responses) get(i uint32) *api.Response {
	if i == 0 || i >= uint32(len(rs.rows)) {
		return nil
	}
	return rs.rows[i].r
}

// held returns the number of rows in use.
func (rs *responses) held() int {
	n := 0
	for _, row := range rs.rows {
		if row.refs > 0 {
			n++
		}
	}
	return n
}

// sameResponse reports whether a and b record the same answer.
func sameResponse(a, b *api.Response) bool {
	if a.Status != b.Status || a.Fault != b.Fault || a.DelayMs != b.DelayMs || a.Rule != b.Rule || a.Body != b.Body || len(a.Headers) != len(b.Headers) {
		return false
	}
	if reflect.ValueOf(a.Headers).UnsafePointer() == reflect.ValueOf(b.Headers).UnsafePointer() {
		return true // the same map: usually a rule's shared headers
	}
	return fault.SameHeader(a.Headers, b.Headers)
}
