//go:build (linux || darwin) && !race

package receiver

import "syscall"

// mapSlab maps n bytes of anonymous memory outside the Go heap, so the
// calls a receiver holds do not count towards the garbage collector's
// heap goal (see callBuffers). Under the race detector the heap version
// is used instead, because the detector does not watch mapped memory.
//
// On Linux the slab asks for transparent huge pages: the calls of a full
// journal span hundreds of megabytes, and each new call lands somewhere
// cold; with 2 MiB pages that costs a cache miss, not a page walk too.
func mapSlab(n int) ([]byte, error) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	adviseHuge(b)
	return b, nil
}

// unmapSlab returns a slab from mapSlab to the system.
func unmapSlab(b []byte) error { return syscall.Munmap(b) }
