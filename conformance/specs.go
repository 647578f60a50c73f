package conformance

// The specs the runner runs: package specs registers every spec area at
// its top level when it is linked.
import _ "github.com/hookcheck/hookcheck/conformance/specs"
