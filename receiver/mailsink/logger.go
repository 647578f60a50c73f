package mailsink

import (
	"fmt"
	"log/slog"
	"strings"
)

// slogLogger adapts a slog.Logger to the Logger interface of go-smtp, which
// reports errors it cannot send to a client.
type slogLogger struct{ l *slog.Logger }

// Printf logs a formatted go-smtp error message.
func (s slogLogger) Printf(format string, v ...any) {
	s.l.Warn("mailsink: smtp server: " + fmt.Sprintf(format, v...))
}

// Println logs a go-smtp error message.
func (s slogLogger) Println(v ...any) {
	s.l.Warn("mailsink: smtp server: " + strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}
