package main

import "strings"

// benchPayload returns a SuperOffice-shaped webhook body of about size
// bytes. It is the payload of receiver/bench_test.go (a contact.changed
// event padded with the contact's name), so the Go benchmark and this
// bench measure the same call.
func benchPayload(size int) []byte {
	head := `{"EventId":"88f91933-edce-4c1a-8ded-ade8e2f72434","Timestamp":"2025-05-14T10:48:07.8912039Z",` +
		`"Changes":["contact_id","updated_associate_id","soundEx","updated","name"],"Event":"contact.changed",` +
		`"PrimaryKey":18,"Entity":"contact","ContextIdentifier":"Cust54321","ChangedByAssociateId":5,` +
		`"WebhookName":"Tonys Contact Handler","FieldValues":{"associate_id":12,"category_idx":4,"name":"`
	tail := `"}}`
	pad := size - len(head) - len(tail)
	return []byte(head + strings.Repeat("x", max(pad, 0)) + tail)
}
