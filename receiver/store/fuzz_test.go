package store_test

import (
	"testing"

	"github.com/hookcheck/hookcheck/receiver/store"
)

// FuzzDecodeCall feeds DecodeCall arbitrary rows: a damaged database must
// give an error, never a panic, and a row that decodes must encode back
// to the same bytes.
func FuzzDecodeCall(f *testing.F) {
	f.Add(store.AppendCall(nil, &store.CallRow{Channel: "ch", Seq: 7, ReceivedAt: 1, BodySize: 3, BodyAt: 2, Signature: 1, TLS: true, Response: []byte(`{"status":200}`), Packed: []byte("abxyz")}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		row, err := store.DecodeCall(b)
		if err != nil {
			return
		}
		if again := store.AppendCall(nil, &row); string(again) != string(b) {
			// Varints have one shortest form; a longer one in b decodes
			// to the same row, which must then encode and decode stably.
			back, err := store.DecodeCall(again)
			if err != nil || string(store.AppendCall(nil, &back)) != string(again) {
				t.Fatalf("row %+v does not round-trip: %v", row, err)
			}
		}
	})
}
