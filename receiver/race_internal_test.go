//go:build race

package receiver

// raceEnabled reports whether the tests run under the race detector: the
// slabs are heap memory then, and the process's resident memory includes
// the detector's shadow of the heap.
const raceEnabled = true
