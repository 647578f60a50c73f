package store

// SetProbeHook replaces the write probe of Open for a test, and returns a
// function that puts the real one back.
func SetProbeHook(fn func(dir string) error) (restore func()) {
	old := probeHook
	probeHook = fn
	return func() { probeHook = old }
}
