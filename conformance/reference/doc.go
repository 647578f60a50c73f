// Package reference is a faithful, embeddable implementation of the
// SuperOffice NetServer webhook service. One core (Service: storage,
// validation, save-time URL verification, the delivery engine and the state
// machine) sits under three thin front ends: RESTful and HTTP-RPC Agents
// (internal/httpapi, on the JSON/XML tree of internal/wire) and SOAP
// (internal/soap). Package server composes them into one http.Handler.
// It is the default target of `hookcheck run` and can run standalone
// through `hookcheck target`. ARCHITECTURE.md at the repository root
// shows how the packages fit together.
package reference
