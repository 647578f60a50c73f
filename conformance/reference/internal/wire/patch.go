package wire

import (
	"fmt"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file implements PATCH (spec §2.3). A JSON Patch (RFC 6902) array
// supports add, replace, remove and test; move and copy are refused. Paths
// are case-insensitive and the leading "/" is optional. A Merge Patch
// (RFC 7396) object is converted into the equivalent operations against the
// current entity. The operations run on the Webhook's JSON tree inside
// Service.Modify, so the core validates and verifies the result; a failing
// test aborts with KindConflict (409) and nothing is saved.
//
// Choices where the RFCs and the docs leave room:
//   - Members of the Webhook record always exist: add and replace set them,
//     remove sets them to null, and a path naming no Webhook property is a
//     400. Unknown properties in a Merge Patch are ignored, as in a body.
//   - Inside Headers and Properties, keys match exactly first, then
//     case-insensitively; add on an existing key replaces its value.
//   - add below a null Headers or Properties (`/Headers/X-Foo`) or Events
//     (`/Events/-`) creates the dictionary or array first.
//   - test on /State compares states, so "active", "Active" and 1 agree.

// ErrTypePatch is the ErrorType of PATCH errors.
const ErrTypePatch = "JsonPatchException"

// MaxPatchOps bounds the operations of one JSON Patch document.
const MaxPatchOps = 1000

// patchOp is one JSON Patch operation.
type patchOp struct {
	Op       string   // add, replace, remove or test (lower case)
	Path     string   // as given, for messages
	Tokens   []string // unescaped reference tokens
	Value    any
	HasValue bool
	// optional makes remove a no-op when the target is missing (Merge Patch
	// removal of an absent key).
	optional bool
}

// Patch is a parsed PATCH body: either JSON Patch operations or a
// Merge Patch object.
type Patch struct {
	Ops   []patchOp
	Merge *Object
}

// patchError builds a KindInvalid PATCH error.
func patchError(format string, args ...any) *reference.Error {
	return reference.Errorf(reference.KindInvalid, ErrTypePatch, format, args...)
}

// ParsePatch reads a PATCH body tree: an array is JSON Patch, an object is
// Merge Patch (spec §9 #28), anything else is refused.
func ParsePatch(tree any) (*Patch, error) {
	switch t := tree.(type) {
	case *Object:
		if err := namesWebhookProperty(t); err != nil {
			return nil, err
		}
		return &Patch{Merge: t}, nil
	case []any:
		if len(t) > MaxPatchOps {
			return nil, patchError("a JSON Patch document may hold at most %d operations, not %d", MaxPatchOps, len(t))
		}
		doc := &Patch{Ops: make([]patchOp, 0, len(t))}
		for i, e := range t {
			op, err := parsePatchOp(e)
			if err != nil {
				return nil, fmt.Errorf("operation %d: %w", i, err)
			}
			doc.Ops = append(doc.Ops, op)
		}
		return doc, nil
	}
	return nil, patchError("a PATCH body must be a JSON Patch array or a Merge Patch object, not %s", KindOf(tree))
}

// parsePatchOp reads one operation object; member names match
// case-insensitively.
func parsePatchOp(v any) (patchOp, error) {
	obj, ok := v.(*Object)
	if !ok {
		return patchOp{}, patchError("an operation must be an object, not %s", KindOf(v))
	}
	var op patchOp
	opv, _ := obj.GetFold("op")
	name, ok := opv.(string)
	if !ok {
		return op, patchError("the operation has no \"op\" string")
	}
	op.Op = strings.ToLower(strings.TrimSpace(name))
	switch op.Op {
	case "add", "replace", "remove", "test":
	case "move", "copy":
		return op, patchError("operation %s is not supported (only add, replace, remove and test)", reference.Quote(name))
	default:
		return op, patchError("unknown operation %s", reference.Quote(name))
	}
	pv, _ := obj.GetFold("path")
	path, ok := pv.(string)
	if !ok {
		return op, patchError("the %s operation has no \"path\" string", op.Op)
	}
	tokens, err := parsePatchPath(path)
	if err != nil {
		return op, err
	}
	op.Path, op.Tokens = path, tokens
	if i := obj.indexFold("value"); i >= 0 {
		op.Value, op.HasValue = obj.Values[i], true
	}
	if !op.HasValue && op.Op != "remove" {
		return op, patchError("the %s operation at %s needs a \"value\"", op.Op, reference.Quote(path))
	}
	return op, nil
}

// parsePatchPath splits a JSON Pointer whose leading "/" is optional into
// unescaped tokens. The whole-document pointer is refused.
func parsePatchPath(path string) ([]string, error) {
	p := strings.TrimPrefix(strings.TrimSpace(path), "/")
	if p == "" {
		return nil, patchError("path %s names the whole entity; patch its properties instead", reference.Quote(path))
	}
	tokens := strings.Split(p, "/")
	if len(tokens) > DefaultLimits.MaxDepth {
		return nil, patchError("path %s is deeper than %d levels", reference.Quote(path), DefaultLimits.MaxDepth)
	}
	for i, t := range tokens {
		if strings.Contains(t, "~") {
			t = strings.ReplaceAll(t, "~1", "/")
			t = strings.ReplaceAll(t, "~0", "~")
			tokens[i] = t
		}
	}
	return tokens, nil
}

// Step runs one operation of a PATCH: op is "add", "replace", "remove" or
// "test", path the JSON Pointer as given, and apply performs the operation
// on the entity being patched. A step may observe the operation, refuse it
// (an error aborts the PATCH) or decide not to run it.
type Step func(op, path string, apply func() error) error

// Apply runs the patch against w: it builds w's JSON tree, applies the
// operations (each through step; nil runs them as they are), decodes the
// result and copies the client-owned fields back into w. On error w is
// left unchanged.
func (d *Patch) Apply(w *reference.Webhook, step Step) error {
	if step == nil {
		step = func(_, _ string, apply func() error) error { return apply() }
	}
	doc := webhookToWire(w)
	ops := d.Ops
	if d.Merge != nil {
		ops = mergePatchOps(doc, d.Merge)
	}
	for i := range ops {
		op := &ops[i]
		if err := step(op.Op, op.Path, func() error { return applyPatchOp(doc, op) }); err != nil {
			return err
		}
	}
	patched, err := ToWebhook(doc)
	if err != nil {
		return err
	}
	SetClientFields(w, &patched)
	return nil
}

// SetClientFields copies the fields a client may set from src to dst. The
// id and the server-owned audit fields (spec §9 #17, #27) stay as they are.
func SetClientFields(dst, src *reference.Webhook) {
	dst.Name = src.Name
	dst.Events = src.Events
	dst.TargetURL = src.TargetURL
	dst.Secret = src.Secret
	dst.State = src.State
	dst.Type = src.Type
	dst.Headers = src.Headers
	dst.Properties = src.Properties
	dst.ErrorsEmail = src.ErrorsEmail
	dst.V121 = src.V121 // its read-only mirrors the core drops on save
}

// namesWebhookProperty refuses a non-empty Merge Patch object none of whose
// members is a Webhook property: such a body is neither a Merge Patch of a
// Webhook nor a Webhook, and applying it would change nothing while
// answering 200. An empty object is the valid no-op Merge Patch; unknown
// members beside known ones are ignored, as in a request body.
func namesWebhookProperty(patch *Object) error {
	if len(patch.Keys) == 0 {
		return nil
	}
	props := webhookToWire(&reference.Webhook{V121: &reference.V121Fields{}})
	for _, k := range patch.Keys {
		if props.indexFold(k) >= 0 {
			return nil
		}
	}
	return patchError("the Merge Patch object names no Webhook property (%s): none of %s is one",
		strings.Join(props.Keys, ", "), reference.Quote(strings.Join(patch.Keys, ", ")))
}

// mergePatchOps converts a Merge Patch into operations on doc (RFC 7396):
// null removes, an object merges into an existing dictionary member by
// member, anything else replaces. Unknown Webhook properties are ignored.
func mergePatchOps(doc *Object, patch *Object) []patchOp {
	var ops []patchOp
	for i, key := range patch.Keys {
		j := doc.indexFold(key)
		if j < 0 {
			continue // not a Webhook property: ignored, as in a request body
		}
		mergeMember(&ops, []string{doc.Keys[j]}, doc.Values[j], patch.Values[i])
	}
	return ops
}

// mergeMember appends the operations that merge value into target at path.
func mergeMember(ops *[]patchOp, path []string, target, value any) {
	p := "/" + strings.Join(path, "/")
	tokens := append([]string(nil), path...)
	if value == nil {
		*ops = append(*ops, patchOp{Op: "remove", Path: p, Tokens: tokens, optional: true})
		return
	}
	vobj, vIsObj := value.(*Object)
	tobj, tIsObj := target.(*Object)
	if vIsObj && tIsObj && !tobj.Record {
		for i, k := range vobj.Keys {
			var cur any
			if j := tobj.indexFold(k); j >= 0 {
				cur, k = tobj.Values[j], tobj.Keys[j]
			}
			mergeMember(ops, append(tokens[:len(tokens):len(tokens)], k), cur, vobj.Values[i])
		}
		return
	}
	if vIsObj {
		value = stripNulls(vobj)
	}
	*ops = append(*ops, patchOp{Op: "add", Path: p, Tokens: tokens, Value: value, HasValue: true})
}

// stripNulls returns a copy of o without null members, recursively: what
// a Merge Patch object becomes when there is nothing to merge it into.
func stripNulls(o *Object) *Object {
	out := &Object{PairName: o.PairName}
	for i, k := range o.Keys {
		v := o.Values[i]
		if v == nil {
			continue
		}
		if c, ok := v.(*Object); ok {
			v = stripNulls(c)
		}
		out.Add(k, v)
	}
	return out
}
