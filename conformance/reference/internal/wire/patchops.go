package wire

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/hookcheck/hookcheck/conformance/reference"
)

// This file performs single JSON Patch operations (RFC 6902) on the tree.

// applyPatchOp applies one operation to the Webhook tree doc. Values are
// copied in, so a patch can be applied again (Modify may retry) with the
// same result.
func applyPatchOp(doc *Object, op *patchOp) error {
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
	case *Object:
		i := n.indexFold(tok)
		if !leaf {
			if i < 0 {
				return n, patchError("path %s not found: no property %s", reference.Quote(op.Path), reference.Quote(tok))
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
	return node, patchError("path %s not found: %s has no members", reference.Quote(op.Path), KindOf(node))
}

// emptyContainerFor returns the empty container an add below a null
// Webhook property creates, or nil when the property holds no container.
func emptyContainerFor(key string) any {
	switch key {
	case "Headers":
		return &Object{PairName: "StringKeyValuePair"}
	case "Properties":
		return &Object{}
	case "Events":
		return []any{}
	}
	return nil
}

// patchObjectMember applies op to member key (found at index i, or -1) of
// the object n.
func patchObjectMember(n *Object, i int, key string, op *patchOp, root bool) error {
	if n.Record && i < 0 {
		if op.optional {
			return nil
		}
		return patchError("path %s not found: no property %s", reference.Quote(op.Path), reference.Quote(key))
	}
	switch op.Op {
	case "add":
		if i >= 0 {
			n.Values[i] = FromPlain(op.Value)
		} else {
			n.Add(key, FromPlain(op.Value))
		}
	case "replace":
		if i < 0 {
			return patchError("path %s not found: cannot replace a missing member", reference.Quote(op.Path))
		}
		n.Values[i] = FromPlain(op.Value)
	case "remove":
		switch {
		case i < 0 && op.optional:
		case i < 0:
			return patchError("path %s not found: cannot remove a missing member", reference.Quote(op.Path))
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
		if len(n) >= DefaultLimits.MaxMembers {
			return n, patchError("path %s: an array may hold at most %d elements", reference.Quote(op.Path), DefaultLimits.MaxMembers)
		}
		idx, err := arrayIndex(tok, len(n), true, op)
		if err != nil {
			return n, err
		}
		n = append(n, nil)
		copy(n[idx+1:], n[idx:])
		n[idx] = FromPlain(op.Value)
		return n, nil
	case "replace":
		idx, err := arrayIndex(tok, len(n), false, op)
		if err != nil {
			return n, err
		}
		n[idx] = FromPlain(op.Value)
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
		return 0, patchError("path %s: %s is not an array index", reference.Quote(op.Path), reference.Quote(tok))
	}
	limit := n - 1
	if forAdd {
		limit = n
	}
	if i > limit {
		return 0, patchError("path %s: index %d is out of range (length %d)", reference.Quote(op.Path), i, n)
	}
	return i, nil
}

// testFailed builds the 409 error of a failed test operation.
func testFailed(op *patchOp) *reference.Error {
	return reference.Errorf(reference.KindConflict, ErrTypePatch, "test operation failed: the value at %q is not the expected value", op.Path)
}

// testState compares the State member with the test value as states.
func testState(cur any, op *patchOp) error {
	a, err1 := StateValue(cur, "State")
	b, err2 := StateValue(op.Value, "State")
	if err1 != nil || err2 != nil || a != b {
		return testFailed(op)
	}
	return nil
}

// wireEqual reports whether two tree values are equal as JSON: numbers by
// value, objects by member set (record members case-insensitively), arrays
// element by element.
func wireEqual(a, b any) bool {
	if an, ok := NumberOf(a); ok {
		bn, ok := NumberOf(b)
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
	case *Object:
		y, ok := b.(*Object)
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
func uniqueKeys(o *Object, fold bool) map[string]int {
	m := make(map[string]int, len(o.Keys))
	for i, k := range o.Keys {
		if fold {
			k = strings.ToLower(k)
		}
		m[k] = i
	}
	return m
}

// NumberOf returns v's numeric text when v is a number.
func NumberOf(v any) (string, bool) {
	switch t := v.(type) {
	case json.Number:
		return string(t), true
	case int64, int32, int, float64:
		return string(AppendJSON(nil, t)), true
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
