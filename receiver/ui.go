package receiver

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hookcheck/hookcheck/receiver/ui"
)

// uiPath is where the live inspector page lives, besides "/". Its assets
// are served below it (uiPath + "/app.js"). The page holds no data, so it is
// served without the control token; it asks for the token itself.
const uiPath = controlPrefix + "/ui"

// isUIPath reports whether path is the inspector page or one of its assets.
func isUIPath(path string) bool {
	return path == "/" || path == uiPath || strings.HasPrefix(path, uiPath+"/")
}

// serveUI serves the inspector page at "/", uiPath and uiPath + "/", and
// its assets below uiPath.
func (rv *Receiver) serveUI(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s", r.Method, r.URL.Path))
		return
	}
	name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, uiPath), "/")
	if r.URL.Path == "/" || name == "" {
		name = ui.Index
	}
	a, ok := ui.Lookup(name)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no inspector asset %q (the page is at / and %s)", name, uiPath))
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("ETag", a.ETag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if name == ui.Index {
		h.Set("Content-Security-Policy", ui.ContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
	}
	http.ServeContent(w, r, a.Name, time.Time{}, bytes.NewReader(a.Body))
}
