// Package store keeps what a receiver recorded in an embedded database
// (bbolt) under its --data-dir: the channels (id, secret, fault script and
// each rule's uses left, sequence numbering), every held call exactly as
// recorded, and the captured e-mails. The receiver loads it on start and a
// writer goroutine keeps it up to date in group commits; this package only
// reads and writes rows and knows nothing of how they are used. The schema
// is documented in docs/receiver-persistence.md and versioned
// (SchemaVersion); Open migrates an older one and refuses a newer or a
// damaged database without writing to it.
package store
