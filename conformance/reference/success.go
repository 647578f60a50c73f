package reference

import "fmt"

// SuccessPolicy decides whether a target's HTTP status counts as a
// successful delivery (spec §5, §9 #2). The same policy judges deliveries,
// the save-time URL check and TestWebhook's Success.
type SuccessPolicy interface {
	Success(status int) bool
}

// ExactOK accepts exactly 200 OK, as NetServer documents.
type ExactOK struct{}

// Success implements SuccessPolicy.
func (ExactOK) Success(status int) bool { return status == 200 }

// Any2xx accepts every 2xx status (the lenient profile).
type Any2xx struct{}

// Success implements SuccessPolicy.
func (Any2xx) Success(status int) bool { return status >= 200 && status <= 299 }

// successPolicyFor maps Options.Success to a policy.
func successPolicyFor(mode string) (SuccessPolicy, error) {
	switch mode {
	case "", "200":
		return ExactOK{}, nil
	case "2xx":
		return Any2xx{}, nil
	}
	return nil, fmt.Errorf("reference: Options.Success %q is not \"200\" or \"2xx\"", mode)
}
