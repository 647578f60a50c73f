package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hookcheck/hookcheck/receiver/api"
)

// callRowFormat is the first byte of every call row; a row of another
// format is damage (a newer format comes with a newer SchemaVersion).
const callRowFormat = 1

// Flags of a call row.
const (
	flagTruncated = 1 << iota
	flagTLS
)

// CallRow is one recorded call as the calls bucket keeps it. Packed is the
// receiver's own packing of the request (method, path, query, protocol,
// remote address, headers, the header lines as sent) followed from BodyAt
// by the raw body, byte for byte; Response is the answer given, as the
// JSON of api.Response.
type CallRow struct {
	Channel    string
	Seq        uint64
	ReceivedAt int64 // Unix nanoseconds
	BodySize   int64
	BodyAt     uint32
	Signature  uint8 // the receiver's verdict code: 0 unchecked, 1 valid, 2 invalid, 3 missing
	Truncated  bool
	TLS        bool
	Response   []byte
	Packed     []byte
}

// AppendCall appends the encoding of r to dst and returns it.
func AppendCall(dst []byte, r *CallRow) []byte {
	dst = append(dst, callRowFormat)
	dst = binary.AppendUvarint(dst, uint64(len(r.Channel)))
	dst = append(dst, r.Channel...)
	dst = binary.AppendUvarint(dst, r.Seq)
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.ReceivedAt))
	dst = binary.AppendVarint(dst, r.BodySize)
	dst = binary.AppendUvarint(dst, uint64(r.BodyAt))
	var flags byte
	if r.Truncated {
		flags |= flagTruncated
	}
	if r.TLS {
		flags |= flagTLS
	}
	dst = append(dst, r.Signature, flags)
	dst = binary.AppendUvarint(dst, uint64(len(r.Response)))
	dst = append(dst, r.Response...)
	return append(dst, r.Packed...)
}

// errRow is the cause of every row that does not decode.
var errRow = errors.New("malformed row")

// rowReader reads the fields AppendCall wrote, remembering the first
// failure.
type rowReader struct {
	b   []byte
	err error
}

func (r *rowReader) fail() {
	if r.err == nil {
		r.err = errRow
	}
	r.b = nil
}

func (r *rowReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *rowReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *rowReader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	s := r.b[:n:n]
	r.b = r.b[n:]
	return s
}

// DecodeCall decodes a call row. Response and Packed point into b: they
// are only valid as long as b is (inside the read that produced it).
func DecodeCall(b []byte) (CallRow, error) {
	var row CallRow
	if len(b) == 0 || b[0] != callRowFormat {
		return row, fmt.Errorf("%w: call row of unknown format", errRow)
	}
	r := rowReader{b: b[1:]}
	row.Channel = string(r.bytes(r.uvarint()))
	row.Seq = r.uvarint()
	ts := r.bytes(8)
	if len(ts) == 8 {
		row.ReceivedAt = int64(binary.BigEndian.Uint64(ts))
	}
	row.BodySize = r.varint()
	bodyAt := r.uvarint()
	flags := r.bytes(2)
	if len(flags) == 2 {
		row.Signature = flags[0]
		row.Truncated = flags[1]&flagTruncated != 0
		row.TLS = flags[1]&flagTLS != 0
	}
	row.Response = r.bytes(r.uvarint())
	row.Packed = r.b
	switch {
	case r.err != nil:
		return row, fmt.Errorf("call %s #%d: %w", row.Channel, row.Seq, r.err)
	case row.Seq == 0 || row.Channel == "":
		return row, fmt.Errorf("%w: call row without a channel or seq", errRow)
	case bodyAt > uint64(len(row.Packed)):
		return row, fmt.Errorf("call %s #%d: %w: body offset %d beyond the row's %d bytes", row.Channel, row.Seq, errRow, bodyAt, len(row.Packed))
	case row.Signature > 3:
		return row, fmt.Errorf("call %s #%d: %w: signature verdict %d", row.Channel, row.Seq, errRow, row.Signature)
	}
	row.BodyAt = uint32(bodyAt)
	return row, nil
}

// callHead decodes just the channel and seq of a call row.
func callHead(b []byte) (string, uint64, error) {
	if len(b) == 0 || b[0] != callRowFormat {
		return "", 0, fmt.Errorf("%w: call row of unknown format", errRow)
	}
	r := rowReader{b: b[1:]}
	ch := r.bytes(r.uvarint())
	seq := r.uvarint()
	if r.err != nil || len(ch) == 0 || seq == 0 {
		return "", 0, fmt.Errorf("%w: call row without a channel or seq", errRow)
	}
	return string(ch), seq, nil
}

// ChannelRow is one channel as the channels bucket keeps it (JSON).
type ChannelRow struct {
	ID     string `json:"id"`
	Secret string `json:"secret,omitempty"`
	// TLS is the TLS kind the channel's tlsUrl presents (api.TLSKinds);
	// "" for the HTTPS listener's own certificate.
	TLS string `json:"tls,omitempty"`
	// Script is the fault script as it runs (a JSON array of RULE).
	Script json.RawMessage `json:"script"`
	// UsesLeft is, per rule, how many more calls it answers (null: no
	// times, it answers forever).
	UsesLeft []*int `json:"usesLeft"`
	// Next is the seq the channel's next call gets, as of this row.
	Next uint64 `json:"next"`
	// Lease is the highest seq the running receiver may have handed out
	// without writing this row again: after a crash, numbering goes on
	// past it, so no seq is used twice.
	Lease uint64 `json:"lease"`
	// Evicted counts the channel's calls dropped by --max-calls.
	Evicted uint64 `json:"evicted"`
}

// Rules decodes the row's script.
func (c *ChannelRow) Rules() ([]api.Rule, error) {
	var rules []api.Rule
	if len(c.Script) == 0 || string(c.Script) == "null" {
		return nil, nil
	}
	if err := json.Unmarshal(c.Script, &rules); err != nil {
		return nil, fmt.Errorf("channel %s: script: %w", c.ID, err)
	}
	return rules, nil
}
