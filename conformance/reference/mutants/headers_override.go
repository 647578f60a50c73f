package mutants

import (
	"net/http"

	"github.com/hookcheck/hookcheck/conformance/reference"
	"github.com/hookcheck/hookcheck/conformance/reference/server"
)

// headerOverrideMutants are HeaderBuilders that let a webhook's custom
// Headers win over the standard ones (spec §4.2, §4.4).
func headerOverrideMutants() []Mutant {
	return []Mutant{
		{
			Name:        "custom-headers-override-standard",
			Component:   "HeaderBuilder",
			Description: "sets the webhook's Headers after the standard ones, so a custom X-SuperOffice-Signature, Content-Type or X-SuperOffice-Event replaces the real header",
			Clauses:     clauses("WH-DLV-021"),
			Apply: func(o *reference.Options, _ *[]server.HandlerOption) error {
				o.HeaderBuilder = headerBuilderFunc(func(in reference.HeaderInput) http.Header {
					custom := in.Custom
					in.Custom = nil
					h := reference.StandardHeaders{}.Headers(in)
					for name, value := range custom {
						h.Set(name, value)
					}
					return h
				})
				return nil
			},
		},
	}
}
