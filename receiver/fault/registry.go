package fault

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// Builder makes a Fault from its script entry. It receives the entry with
// durations already clamped and Limits with defaults applied, and returns an
// error (one sentence a user can act on) for bad parameters.
type Builder func(api.Fault, Limits) (Fault, error)

// Drawer is implemented by faults that need per-call values drawn from the
// rule's seeded RNG at decision time; Decide stores the result in Plan.Data.
type Drawer interface {
	Draw(rng *rand.Rand) []byte
}

var registry = struct {
	sync.RWMutex
	m map[string]Builder
}{m: map[string]Builder{}}

// Register makes a fault type available to scripts under name. It is meant
// to be called from init and panics on an empty or duplicate name, like
// database/sql.Register.
func Register(name string, build Builder) {
	registry.Lock()
	defer registry.Unlock()
	if name == "" || build == nil {
		panic("fault: Register needs a name and a builder")
	}
	if _, dup := registry.m[name]; dup {
		panic(fmt.Sprintf("fault: Register called twice for %q", name))
	}
	registry.m[name] = build
}

// Known returns the registered fault type names in sorted order.
func Known() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// build makes the Fault for a script entry.
func build(f api.Fault, lim Limits) (Fault, error) {
	registry.RLock()
	b, ok := registry.m[f.Type]
	registry.RUnlock()
	known := strings.Join(Known(), ", ")
	switch {
	case f.Type == "":
		return nil, fmt.Errorf("fault has no type; use one of %s", known)
	case !ok:
		return nil, fmt.Errorf("fault %q is unknown (known: %s)", f.Type, known)
	}
	flt, err := b(f, lim)
	if err != nil {
		return nil, fmt.Errorf("fault %q: %w", f.Type, err)
	}
	return flt, nil
}
