// Package driver holds the clients the conformance suite drives a webhook
// service with: one per API style of the behavioural spec (§2) — REST
// (`/api/v1/Webhook…`), HTTP-RPC Agents (`/api/v1/Agents/Webhook/…`) and
// SOAP 1.1/1.2 (`Webhook.svc`). They are written from the specification
// alone, never from an implementation, so the suite can test any service.
//
// All three implement Driver and return the same normalised Webhook view
// and the same typed *Error, so a spec can run unchanged through every
// front end and parity specs can compare them.
package driver
