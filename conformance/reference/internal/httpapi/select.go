package httpapi

import (
	"net/http"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/internal/wire"
)

// withSelect runs fn only when the request's `$select` names Webhook
// properties; otherwise it answers 400 before fn runs, so a save is never
// stored and then answered with an error.
func withSelect(fn handlerFunc) handlerFunc {
	return func(r *http.Request, c reference.Caller) (*reply, error) {
		if err := wire.CheckSelect(r.URL.Query()); err != nil {
			return nil, err
		}
		return fn(r, c)
	}
}
