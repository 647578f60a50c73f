package httpapi

import (
	"net/http"
	"time"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// reply is what a REST or Agents handler answers with 200 OK; a nil reply
// is 204 No Content.
type reply struct {
	root, item   string    // the XML root element and, for arrays, each item
	body         any       // the tree value (nil is JSON null)
	lastModified time.Time // when set, the Last-Modified header
	page         string    // when set, this HTML page instead of an entity
}

// handlerFunc is a REST or Agents handler: it decodes the request, calls
// the core and returns the answer or the error, which serve writes.
type handlerFunc func(r *http.Request, c reference.Caller) (*reply, error)

// entity returns the 200 reply of v with the XML names root and item.
func entity(root, item string, v any) *reply { return &reply{root: root, item: item, body: v} }

// write is the one place a REST or Agents answer is written: err as the
// §2.1 error body, nil as 204, an HTML page, or the entity in the format
// the request's Accept header asks for.
func write(w http.ResponseWriter, r *http.Request, rep *reply, err error) {
	switch {
	case err != nil:
		WriteError(w, r, err)
	case rep == nil:
		w.WriteHeader(http.StatusNoContent)
	case rep.page != "":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(rep.page)) // a failed write means the client went away
	default:
		if !rep.lastModified.IsZero() {
			w.Header().Set("Last-Modified", rep.lastModified.UTC().Format(http.TimeFormat))
		}
		writeEntity(w, r, http.StatusOK, rep.root, rep.item, rep.body)
	}
}
