// Package api holds the wire types of the receiver's control API: the JSON
// shapes that the receiver serves and that receiver/client decodes. It has no
// behaviour beyond encoding, so both sides share one definition.
package api
