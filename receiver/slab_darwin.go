//go:build darwin && !race

package receiver

// adviseHuge does nothing: macOS has no transparent huge pages to ask for.
func adviseHuge([]byte) {}

// dropPages does nothing on macOS: freed buffers keep their pages.
func dropPages([]byte) {}
