package framework

import "sync/atomic"

// armed is true while the suite's specs should be defined: while a run
// builds its Ginkgo tree, and in the suite's own tests. A binary that
// merely links the specs (the CLI's Ginkgo tests) builds its tree with
// armed false, so the areas stay empty there.
var armed atomic.Bool

// Area is the first call of every spec area's top-level Describe body: it
// reports whether the area's specs should be defined in this Ginkgo tree.
// It installs nothing; the runner registers its per-spec hooks once, at
// the top level of the tree.
func Area() bool { return armed.Load() }

// Arm makes Area answer true until the returned disarm is called: the
// runner arms the areas around the Ginkgo run it starts, a test around
// the tree it previews.
func Arm() (disarm func()) {
	armed.Store(true)
	return func() { armed.Store(false) }
}
