//go:build (linux || darwin) && !race

package receiver

import "syscall"

// mapSlab maps n bytes of anonymous memory outside the Go heap, so the
// calls a receiver holds do not count towards the garbage collector's
// heap goal (see callBuffers). Under the race detector the heap version
// is used instead, because the detector does not watch mapped memory.
func mapSlab(n int) ([]byte, error) {
	return syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
}

// unmapSlab returns a slab from mapSlab to the system.
func unmapSlab(b []byte) error { return syscall.Munmap(b) }
