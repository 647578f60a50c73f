package framework

import (
	"fmt"
	"strings"
)

// ConfigError is a mistake in the configuration found before any spec
// ran: an unreachable target, refused credentials, a bad label filter.
// hookcheck run reports it on one line and exits 2.
type ConfigError struct{ Err error }

// Error implements error.
func (e *ConfigError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// ConfigErrorf builds a *ConfigError from a format and its arguments, as
// fmt.Errorf does.
func ConfigErrorf(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

// firstLine returns the first line of s, trimmed and cut to 200 bytes.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
