package server

// PatchStep runs one operation of a PATCH (spec §2.3): op is "add",
// "replace", "remove" or "test", path the JSON Pointer as given, and apply
// performs the operation on the entity being patched. A step may observe
// the operation, refuse it (an error aborts the PATCH with nothing saved)
// or decide not to run it. A Merge Patch reaches it as the operations it is
// converted into. Without one every operation just runs.
type PatchStep func(op, path string, apply func() error) error

// WithPatchStep installs s around every PATCH operation of the REST front
// end; nil keeps the default.
func WithPatchStep(s PatchStep) HandlerOption {
	return func(c *handlerConfig) {
		if s != nil {
			c.patchStep = s
		}
	}
}
