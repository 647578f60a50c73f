// Package reference is a faithful, embeddable implementation of the
// SuperOffice NetServer webhook service. One core (Service: storage,
// validation, save-time URL verification, the delivery engine and the state
// machine) sits under three thin front ends: RESTful (rest.go), HTTP-RPC
// Agents (agents.go) and SOAP (soap.go). It is the default target of
// `hookcheck run` and can run standalone through `hookcheck target`.
package reference
