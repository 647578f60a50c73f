package reports

import (
	"path/filepath"
	"runtime"
	"strings"
)

// modulePath is the module's import path; a binary built with -trimpath
// names its source files under it.
const modulePath = "github.com/hookcheck/hookcheck"

// moduleRoot is the directory of the module this package was built from
// ("" when the build trimmed the paths).
var moduleRoot = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return filepath.Dir(filepath.Dir(file))
}()

// ModuleRelative returns a source path of this module relative to the
// module root ("conformance/retry.go:60" instead of
// "/home/me/src/hookcheck/conformance/retry.go:60"); other paths are
// returned as they are.
func ModuleRelative(path string) string {
	for _, root := range []string{moduleRoot, modulePath} {
		if root != "" && strings.HasPrefix(path, root+"/") {
			return path[len(root)+1:]
		}
	}
	return path
}
