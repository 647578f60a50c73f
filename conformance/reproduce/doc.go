// Package reproduce drives one documented webhook behaviour — TooManyErrors,
// 410 Gone, the retry schedule, recovery, save-time URL verification —
// through a target and records what happened, attempt by attempt, with
// times, against the profile's schedule. It is the library behind
// `hookcheck reproduce`.
//
// Each scenario is a short script in its own file, written over the
// receiver client and the conformance drivers (framework.Env); it is not
// a copy of the conformance specs: a spec asserts one clause, a scenario
// shows a whole behaviour and names the first difference from the profile.
// Reproduce runs a scenario, streams its steps to an observer as they
// happen, and cleans up (deletes the hooks, forgets the channels) unless
// told to keep them.
package reproduce
