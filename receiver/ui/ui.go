// Package ui holds the receiver's live inspector page: one HTML page, its
// script and its style sheet, embedded in the binary so the page works
// offline and needs nothing but the receiver. The receiver serves it at "/"
// and at /_hookcheck/ui; the page reads everything through the control API
// and its event streams.
//
// The script builds every element with the DOM API and shows recorded data
// through textContent only, so a call whose body or headers carry HTML or
// script is shown as text; ContentSecurityPolicy forbids inline script as a
// second line of defence.
package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"path"
)

// files are the page's assets.
//
//go:embed index.html app.js style.css
var files embed.FS

// ContentSecurityPolicy is the policy the page is served with: everything
// from the receiver itself, no inline script or style, no frames, no
// plugins.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// Index is the name of the page itself.
const Index = "index.html"

// Asset is one embedded file, ready to serve.
type Asset struct {
	Name        string
	ContentType string
	// ETag is a strong validator of Body, quoted.
	ETag string
	Body []byte
}

// assets maps each file name to its Asset.
var assets = func() map[string]Asset {
	out := map[string]Asset{}
	for _, name := range []string{Index, "app.js", "style.css"} {
		b, err := files.ReadFile(name)
		if err != nil {
			panic("ui: embedded asset missing: " + name)
		}
		sum := sha256.Sum256(b)
		var ct string
		switch path.Ext(name) { // not the host's MIME tables: the same everywhere
		case ".html":
			ct = "text/html; charset=utf-8"
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		}
		out[name] = Asset{Name: name, ContentType: ct, ETag: `"` + hex.EncodeToString(sum[:8]) + `"`, Body: b}
	}
	return out
}()

// Lookup returns the asset with the given name ("index.html", "app.js",
// "style.css") and whether it exists.
func Lookup(name string) (Asset, bool) {
	a, ok := assets[name]
	return a, ok
}

// Names returns the names of every asset.
func Names() []string {
	return []string{Index, "app.js", "style.css"}
}
