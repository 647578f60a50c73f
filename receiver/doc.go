// Package receiver is hookcheck's programmable mock webhook target. Each
// channel (/hooks/{id}) records every call exactly (raw body, headers,
// timing, TLS), verifies X-SuperOffice-Signature against the channel's
// secret, and answers according to the channel's fault script. A control API
// under /_hookcheck/ creates channels, swaps scripts, and lets tests wait for
// calls and captured e-mails instead of sleeping. Start runs one in-process.
package receiver
