//go:build linux && !race

package receiver

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks for transparent huge pages for b; it is only advice, so
// a kernel that says no changes nothing.
func adviseHuge(b []byte) { _ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) }

// dropPages gives the whole pages inside b back to the system
// (MADV_DONTNEED): they read as zeros and take no memory until written
// again. b must lie in a slab from mapSlab.
func dropPages(b []byte) {
	if len(b) == 0 {
		return
	}
	page := uintptr(syscall.Getpagesize())
	start := uintptr(unsafe.Pointer(&b[0]))
	from := (start + page - 1) &^ (page - 1)
	to := (start + uintptr(len(b))) &^ (page - 1)
	if to <= from {
		return
	}
	_ = syscall.Madvise(b[from-start:to-start], syscall.MADV_DONTNEED)
}
