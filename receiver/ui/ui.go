// Package ui holds the receiver's live inspector page: one HTML page, its
// script and its style sheet, embedded in the binary so the page works
// offline and needs nothing but the receiver. The receiver serves it at "/"
// and at /_hookcheck/ui; the page reads everything through the control API
// and its event streams.
//
// The script, one ES module per view, builds every element with the DOM
// API and shows recorded data through textContent only, so a call whose
// body or headers carry HTML or script is shown as text;
// ContentSecurityPolicy forbids inline script as a second line of defence.
package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"path"
)

// files are the page's assets: the page, its style sheet and its script,
// one ES module per view (app.js imports the others; no build step).
//
//go:embed index.html style.css *.js
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

// contentTypes maps each embedded file's extension to the type it is
// served with: not the host's MIME tables, so the same everywhere. A
// module script served with any other type is refused by the browser
// (the receiver sends X-Content-Type-Options: nosniff).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

// names lists every asset, the page first, then the rest by name.
var names = func() []string {
	entries, err := files.ReadDir(".")
	if err != nil {
		panic("ui: embedded assets unreadable: " + err.Error())
	}
	out := []string{Index}
	for _, e := range entries {
		if n := e.Name(); n != Index {
			out = append(out, n)
		}
	}
	return out
}()

// assets maps each file name to its Asset.
var assets = func() map[string]Asset {
	out := map[string]Asset{}
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			panic("ui: embedded asset missing: " + name)
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			panic("ui: embedded asset of no known type: " + name)
		}
		sum := sha256.Sum256(b)
		out[name] = Asset{Name: name, ContentType: ct, ETag: `"` + hex.EncodeToString(sum[:8]) + `"`, Body: b}
	}
	return out
}()

// Lookup returns the asset with the given name ("index.html", "app.js",
// "style.css", or another module such as "calls.js") and whether it
// exists.
func Lookup(name string) (Asset, bool) {
	a, ok := assets[name]
	return a, ok
}

// Names returns the names of every asset, the page first.
func Names() []string {
	return append([]string(nil), names...)
}
