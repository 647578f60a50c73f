package reference

// GoroutineLabelValue exposes, to tests, the value of the GoroutineLabel
// pprof label the service puts on its goroutines.
func (s *Service) GoroutineLabelValue() string { return s.label }
