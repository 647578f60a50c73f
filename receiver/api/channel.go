package api

// ChannelRequest is the body of POST /_hookcheck/channels. Every field is
// optional; an empty ID lets the receiver choose one.
type ChannelRequest struct {
	ID     string `json:"id,omitempty"`
	Secret string `json:"secret,omitempty"`
	Script []Rule `json:"script,omitempty"`
	// TLS, when set, is the TLS kind (TLSKinds) the channel's tlsUrl
	// presents; "" is the HTTPS listener's own certificate.
	TLS string `json:"tls,omitempty"`
}

// Channel is the answer of POST /_hookcheck/channels.
type Channel struct {
	ID string `json:"id"`
	// URL is the channel's plain-HTTP address; TLSURL its HTTPS address,
	// empty when the receiver has no HTTPS listener.
	URL    string `json:"url"`
	TLSURL string `json:"tlsUrl"`
	// TLS is the channel's TLS kind; TLSURL then points at the listener
	// presenting that kind's certificate.
	TLS string `json:"tls,omitempty"`
}

// ChannelInfo summarises a channel in GET /_hookcheck/channels.
type ChannelInfo struct {
	Channel
	HasSecret bool   `json:"hasSecret"`
	Calls     int    `json:"calls"`
	Last      uint64 `json:"last"`
	Evicted   uint64 `json:"evicted"`
	Rules     int    `json:"rules"`
}

// ChannelList is the answer of GET /_hookcheck/channels.
type ChannelList struct {
	Channels []ChannelInfo `json:"channels"`
}

// Cleared is the answer of DELETE /_hookcheck/channels/{id}/calls.
type Cleared struct {
	// Cleared is how many held calls the channel let go of.
	Cleared int `json:"cleared"`
	// Last is the highest seq assigned so far; the next call gets Last+1.
	Last uint64 `json:"last"`
}
