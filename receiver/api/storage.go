package api

import "time"

// Storage describes where and how a receiver keeps what it records
// (--data-dir), in GET /_hookcheck/healthz.
type Storage struct {
	// Dir is the data directory; File the database in it.
	Dir  string `json:"dir"`
	File string `json:"file"`
	// SchemaVersion is the version of the database's layout.
	SchemaVersion int `json:"schemaVersion"`
	// Sync reports --sync: every call is on disk before it is answered.
	Sync bool `json:"sync"`
	// Bytes is the size of the database file.
	Bytes int64 `json:"bytes"`
	// Calls and Mails count the calls and e-mails on disk as of the last
	// commit.
	Calls int `json:"calls"`
	Mails int `json:"mails"`
	// Loaded counts the calls loaded from disk at start.
	Loaded int `json:"loaded"`
	// Commits counts the group commits written; LastCommit is when the
	// last one ended and LastCommitMs how long it took.
	Commits      uint64     `json:"commits"`
	LastCommit   *time.Time `json:"lastCommit,omitempty"`
	LastCommitMs float64    `json:"lastCommitMs"`
	// Failures counts commits that failed. While Failing, calls are
	// answered and kept in memory only; Error is the last failure and
	// FailingSince when they began.
	Failures     uint64     `json:"failures"`
	Failing      bool       `json:"failing"`
	Error        string     `json:"error,omitempty"`
	FailingSince *time.Time `json:"failingSince,omitempty"`
}
