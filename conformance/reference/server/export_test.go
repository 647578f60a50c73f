package server

import (
	"log/slog"
	"net/http"
)

// This file exposes the handler's plumbing to the external tests in
// package server_test.

// CanonicalPathForTest canonicalises a request path as NewHandler does.
func CanonicalPathForTest(p string) string { return canonicalPath(p) }

// RecoverHandlerForTest wraps next in the panic recovery of NewHandler.
func RecoverHandlerForTest(next http.Handler) http.Handler {
	return recoverHandler(next, slog.New(slog.DiscardHandler))
}
