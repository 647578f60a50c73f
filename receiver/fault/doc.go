// Package fault compiles and runs the fault scripts of receiver channels.
//
// A script is a list of api.Rule. Compile validates it and clamps every
// user-given duration to Limits.MaxDelay; Script.Decide picks the answer for
// one call as a Plan; Execute waits the plan's delay and lets the plan's Fault
// answer (or refuse to answer) the request. Every fault lives in its own file
// and registers itself with Register, so adding one touches that file, its
// test and the README table.
package fault
