//go:build linux && !race

package receiver

import "syscall"

// adviseHuge asks for transparent huge pages for b; it is only advice, so
// a kernel that says no changes nothing.
func adviseHuge(b []byte) { _ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) }
