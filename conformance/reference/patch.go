package reference

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
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

// errTypePatch is the ErrorType of PATCH errors.
const errTypePatch = "JsonPatchException"

// maxPatchOps bounds the operations of one JSON Patch document.
const maxPatchOps = 1000

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

// patchDocument is a parsed PATCH body: either JSON Patch operations or a
// Merge Patch object.
type patchDocument struct {
	Ops   []patchOp
	Merge *wireObject
}

// patchError builds a KindInvalid PATCH error.
func patchError(format string, args ...any) *Error {
	return Errorf(KindInvalid, errTypePatch, format, args...)
}

// parsePatch reads a PATCH body tree: an array is JSON Patch, an object is
// Merge Patch (spec §9 #28), anything else is refused.
func parsePatch(tree any) (*patchDocument, error) {
	switch t := tree.(type) {
	case *wireObject:
		return &patchDocument{Merge: t}, nil
	case []any:
		if len(t) > maxPatchOps {
			return nil, patchError("a JSON Patch document may hold at most %d operations, not %d", maxPatchOps, len(t))
		}
		doc := &patchDocument{Ops: make([]patchOp, 0, len(t))}
		for i, e := range t {
			op, err := parsePatchOp(e)
			if err != nil {
				return nil, fmt.Errorf("operation %d: %w", i, err)
			}
			doc.Ops = append(doc.Ops, op)
		}
		return doc, nil
	}
	return nil, patchError("a PATCH body must be a JSON Patch array or a Merge Patch object, not %s", wireKind(tree))
}

// parsePatchOp reads one operation object; member names match
// case-insensitively.
func parsePatchOp(v any) (patchOp, error) {
	obj, ok := v.(*wireObject)
	if !ok {
		return patchOp{}, patchError("an operation must be an object, not %s", wireKind(v))
	}
	var op patchOp
	opv, _ := obj.getFold("op")
	name, ok := opv.(string)
	if !ok {
		return op, patchError("the operation has no \"op\" string")
	}
	op.Op = strings.ToLower(strings.TrimSpace(name))
	switch op.Op {
	case "add", "replace", "remove", "test":
	case "move", "copy":
		return op, patchError("operation %q is not supported (only add, replace, remove and test)", name)
	default:
		return op, patchError("unknown operation %q", name)
	}
	pv, _ := obj.getFold("path")
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
		return op, patchError("the %s operation at %q needs a \"value\"", op.Op, path)
	}
	return op, nil
}

// parsePatchPath splits a JSON Pointer whose leading "/" is optional into
// unescaped tokens. The whole-document pointer is refused.
func parsePatchPath(path string) ([]string, error) {
	p := strings.TrimPrefix(strings.TrimSpace(path), "/")
	if p == "" {
		return nil, patchError("path %q names the whole entity; patch its properties instead", path)
	}
	tokens := strings.Split(p, "/")
	if len(tokens) > defaultWireLimits.MaxDepth {
		return nil, patchError("path %q is deeper than %d levels", path, defaultWireLimits.MaxDepth)
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

// apply runs the patch against w: it builds w's JSON tree, applies the
// operations, decodes the result and copies the client-owned fields back
// into w. On error w is left unchanged.
func (d *patchDocument) apply(w *Webhook) error { return d.applyWith(w, runPatchStep) }

// applyWith is apply with every operation run through step.
func (d *patchDocument) applyWith(w *Webhook, step PatchStep) error {
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
	patched, err := webhookFromWire(doc)
	if err != nil {
		return err
	}
	setClientFields(w, &patched)
	return nil
}

// setClientFields copies the fields a client may set from src to dst. The
// id and the server-owned audit fields (spec §9 #17, #27) stay as they are.
func setClientFields(dst, src *Webhook) {
	dst.Name = src.Name
	dst.Events = src.Events
	dst.TargetURL = src.TargetURL
	dst.Secret = src.Secret
	dst.State = src.State
	dst.Type = src.Type
	dst.Headers = src.Headers
	dst.Properties = src.Properties
	dst.ErrorsEmail = src.ErrorsEmail
}

// mergePatchOps converts a Merge Patch into operations on doc (RFC 7396):
// null removes, an object merges into an existing dictionary member by
// member, anything else replaces. Unknown Webhook properties are ignored.
func mergePatchOps(doc *wireObject, patch *wireObject) []patchOp {
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
	vobj, vIsObj := value.(*wireObject)
	tobj, tIsObj := target.(*wireObject)
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
func stripNulls(o *wireObject) *wireObject {
	out := &wireObject{PairName: o.PairName}
	for i, k := range o.Keys {
		v := o.Values[i]
		if v == nil {
			continue
		}
		if c, ok := v.(*wireObject); ok {
			v = stripNulls(c)
		}
		out.add(k, v)
	}
	return out
}

// applyPatchOp applies one operation to the Webhook tree doc. Values are
// copied in, so a patch can be applied again (Modify may retry) with the
// same result.
func applyPatchOp(doc *wireObject, op *patchOp) error {
	_, err := patchAt(doc, op.Tokens, op, true)
	return err
}

// patchAt applies op at tokens below node and returns the node to store in
// its parent (arrays change identity when they grow or shrink). root marks
// the Webhook record itself.
func patchAt(node any, tokens []string, op *patchOp, root bool) (any, error) {
	tok := tokens[0]
	leaf := len(tokens) == 1
	switch n := node.(type) {
	case *wireObject:
		i := n.indexFold(tok)
		if !leaf {
			if i < 0 {
				return n, patchError("path %q not found: no property %q", op.Path, tok)
			}
			child := n.Values[i]
			if child == nil && root && op.Op == "add" {
				child = emptyContainerFor(n.Keys[i])
			}
			newChild, err := patchAt(child, tokens[1:], op, false)
			if err != nil {
				return n, err
			}
			n.Values[i] = newChild
			return n, nil
		}
		return n, patchObjectMember(n, i, tok, op, root)
	case []any:
		if !leaf {
			idx, err := arrayIndex(tok, len(n), false, op)
			if err != nil {
				return n, err
			}
			newChild, err := patchAt(n[idx], tokens[1:], op, false)
			if err != nil {
				return n, err
			}
			n[idx] = newChild
			return n, nil
		}
		return patchArrayElement(n, tok, op)
	}
	if op.Op == "remove" && op.optional {
		return node, nil
	}
	return node, patchError("path %q not found: %s has no members", op.Path, wireKind(node))
}

// emptyContainerFor returns the empty container an add below a null
// Webhook property creates, or nil when the property holds no container.
func emptyContainerFor(key string) any {
	switch key {
	case "Headers":
		return &wireObject{PairName: "StringKeyValuePair"}
	case "Properties":
		return &wireObject{}
	case "Events":
		return []any{}
	}
	return nil
}

// patchObjectMember applies op to member key (found at index i, or -1) of
// the object n.
func patchObjectMember(n *wireObject, i int, key string, op *patchOp, root bool) error {
	if n.Record && i < 0 {
		if op.optional {
			return nil
		}
		return patchError("path %q not found: no property %q", op.Path, key)
	}
	switch op.Op {
	case "add":
		if i >= 0 {
			n.Values[i] = plainToWire(op.Value)
		} else {
			n.add(key, plainToWire(op.Value))
		}
	case "replace":
		if i < 0 {
			return patchError("path %q not found: cannot replace a missing member", op.Path)
		}
		n.Values[i] = plainToWire(op.Value)
	case "remove":
		switch {
		case i < 0 && op.optional:
		case i < 0:
			return patchError("path %q not found: cannot remove a missing member", op.Path)
		case n.Record:
			n.Values[i] = nil // record members always exist; removing one nulls it
		default:
			n.remove(i)
		}
	case "test":
		if i < 0 {
			return testFailed(op)
		}
		if root && n.Keys[i] == "State" {
			return testState(n.Values[i], op)
		}
		if !wireEqual(n.Values[i], op.Value) {
			return testFailed(op)
		}
	}
	return nil
}

// patchArrayElement applies op to element tok of array n and returns the
// resulting array.
func patchArrayElement(n []any, tok string, op *patchOp) (any, error) {
	switch op.Op {
	case "add":
		if len(n) >= defaultWireLimits.MaxMembers {
			return n, patchError("path %q: an array may hold at most %d elements", op.Path, defaultWireLimits.MaxMembers)
		}
		idx, err := arrayIndex(tok, len(n), true, op)
		if err != nil {
			return n, err
		}
		n = append(n, nil)
		copy(n[idx+1:], n[idx:])
		n[idx] = plainToWire(op.Value)
		return n, nil
	case "replace":
		idx, err := arrayIndex(tok, len(n), false, op)
		if err != nil {
			return n, err
		}
		n[idx] = plainToWire(op.Value)
		return n, nil
	case "remove":
		idx, err := arrayIndex(tok, len(n), false, op)
		if err != nil {
			if op.optional {
				return n, nil
			}
			return n, err
		}
		return append(n[:idx], n[idx+1:]...), nil
	case "test":
		idx, err := arrayIndex(tok, len(n), false, op)
		if err != nil {
			return n, testFailed(op)
		}
		if !wireEqual(n[idx], op.Value) {
			return n, testFailed(op)
		}
	}
	return n, nil
}

// arrayIndex reads an array index token; with forAdd, "-" and len are
// allowed (append).
func arrayIndex(tok string, n int, forAdd bool, op *patchOp) (int, error) {
	if forAdd && tok == "-" {
		return n, nil
	}
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || strings.HasPrefix(tok, "+") {
		return 0, patchError("path %q: %q is not an array index", op.Path, tok)
	}
	limit := n - 1
	if forAdd {
		limit = n
	}
	if i > limit {
		return 0, patchError("path %q: index %d is out of range (length %d)", op.Path, i, n)
	}
	return i, nil
}

// testFailed builds the 409 error of a failed test operation.
func testFailed(op *patchOp) *Error {
	return Errorf(KindConflict, errTypePatch, "test operation failed: the value at %q is not the expected value", op.Path)
}

// testState compares the State member with the test value as states.
func testState(cur any, op *patchOp) error {
	a, err1 := wireState(cur, "State")
	b, err2 := wireState(op.Value, "State")
	if err1 != nil || err2 != nil || a != b {
		return testFailed(op)
	}
	return nil
}

// wireEqual reports whether two tree values are equal as JSON: numbers by
// value, objects by member set (record members case-insensitively), arrays
// element by element.
func wireEqual(a, b any) bool {
	if an, ok := numberOf(a); ok {
		bn, ok := numberOf(b)
		return ok && numbersEqual(an, bn)
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !wireEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *wireObject:
		y, ok := b.(*wireObject)
		if !ok {
			return false
		}
		fold := x.Record || y.Record
		xk, yk := uniqueKeys(x, fold), uniqueKeys(y, fold)
		if len(xk) != len(yk) {
			return false
		}
		for k, i := range xk {
			j, ok := yk[k]
			if !ok || !wireEqual(x.Values[i], y.Values[j]) {
				return false
			}
		}
		return true
	}
	return false
}

// uniqueKeys maps each member name (lower-cased with fold) to the index of
// its last occurrence.
func uniqueKeys(o *wireObject, fold bool) map[string]int {
	m := make(map[string]int, len(o.Keys))
	for i, k := range o.Keys {
		if fold {
			k = strings.ToLower(k)
		}
		m[k] = i
	}
	return m
}

// numberOf returns v's numeric text when v is a number.
func numberOf(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return string(t), true
	case int64, int32, int, float64:
		return string(appendWireJSON(nil, t)), true
	}
	return "", false
}

// numbersEqual compares two JSON numbers by value.
func numbersEqual(a, b string) bool {
	if a == b {
		return true
	}
	ai, err1 := strconv.ParseInt(a, 10, 64)
	bi, err2 := strconv.ParseInt(b, 10, 64)
	if err1 == nil && err2 == nil {
		return ai == bi
	}
	af, err1 := strconv.ParseFloat(a, 64)
	bf, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && !math.IsInf(af, 0) && af == bf
}
