//go:build !(linux || darwin) || race

package receiver

// mapSlab allocates n bytes on the Go heap. It stands in for the mapped
// slabs of slab_mmap.go where those are not available, and under the race
// detector, which watches heap memory only.
func mapSlab(n int) ([]byte, error) { return make([]byte, n), nil }

// unmapSlab leaves a heap slab to the garbage collector.
func unmapSlab([]byte) error { return nil }

// dropPages does nothing for heap slabs: the garbage collector owns their
// pages.
func dropPages([]byte) {}
