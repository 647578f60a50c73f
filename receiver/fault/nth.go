package fault

import (
	"fmt"
	"strconv"
	"strings"
)

// nthRange is an inclusive range of 1-based call ordinals; hi 0 means open.
type nthRange struct {
	lo, hi uint64
}

// contains reports whether the call ordinal n lies in the range.
func (r nthRange) contains(n uint64) bool {
	return n >= r.lo && (r.hi == 0 || n <= r.hi)
}

// parseNth parses "5", "1-9" or "10-".
func parseNth(s string) (nthRange, error) {
	s = strings.TrimSpace(s)
	loS, hiS, isRange := strings.Cut(s, "-")
	lo, err := parseOrdinal(s, loS)
	if err != nil {
		return nthRange{}, err
	}
	if !isRange {
		return nthRange{lo: lo, hi: lo}, nil
	}
	if hiS == "" {
		return nthRange{lo: lo}, nil
	}
	hi, err := parseOrdinal(s, hiS)
	if err != nil {
		return nthRange{}, err
	}
	if hi < lo {
		return nthRange{}, fmt.Errorf("match.nth %q selects no call because %d comes after %d; write the smaller number first", s, lo, hi)
	}
	return nthRange{lo: lo, hi: hi}, nil
}

// parseOrdinal parses one end of an nth range.
func parseOrdinal(whole, part string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(part), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("match.nth %q is malformed; use a call number counted from 1 such as \"5\", a range such as \"1-9\", or an open range such as \"10-\"", whole)
	}
	return n, nil
}
