package reference

// The NetServer-like ErrorType names the core puts in its errors.
const (
	coreErrArgument     = "ArgumentException"
	coreErrNotFound     = "SoNotFoundException"
	coreErrAccessDenied = "SoAccessDeniedException"
	coreErrVerification = "WebhookVerificationException"
	coreErrPrecondition = "PreconditionFailedException"
	coreErrServer       = "SoServerException"
)

// errWebhookNotFound is the KindNotFound error for webhook id.
func errWebhookNotFound(id int32) *Error {
	return Errorf(KindNotFound, coreErrNotFound, "Webhook id %d not found", id)
}

// errServiceClosed is returned by every call made after Close.
func errServiceClosed() *Error {
	return Errorf(KindInternal, coreErrServer, "the webhook service is closed")
}
