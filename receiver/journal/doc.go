// Package journal keeps bounded, waitable logs: the receiver's record of
// calls per channel and of captured e-mails. A reader can block until enough
// matching entries exist; an append wakes every such reader at once (no
// polling tick). A Bound shared by several logs caps their total size and
// evicts the oldest entry across all of them.
package journal
