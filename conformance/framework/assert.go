package framework

import (
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// ExpectRefused fails the spec unless err is a refusal by the service (an
// HTTP error status, ExceptionInfo or a Fault) and returns it.
func ExpectRefused(err error, what string) *driver.Error {
	GinkgoHelper()
	Expect(err).To(HaveOccurred(), "%s: expected the target to refuse, it accepted", what)
	de, ok := driver.AsError(err)
	Expect(ok).To(BeTrue(), "%s: expected a refusal by the target, got a transport or decoding failure: %v", what, err)
	Expect(de.Status < 200 || de.Status > 299 || de.Style == driver.SOAP).To(BeTrue(), "%s: refusal with a 2xx status %d", what, de.Status)
	return de
}

// ExpectErrorBody fails the spec unless a REST or Agents refusal carries
// the §2.1 error body: "Error": true, ErrorType, ErrorMessage and no
// Message field. SOAP refusals must carry ExceptionInfo or a Fault.
func ExpectErrorBody(de *driver.Error) {
	GinkgoHelper()
	if de.Style == driver.SOAP {
		Expect(de.Message != "" || de.ErrorType != "").To(BeTrue(), "SOAP refusal without ExceptionInfo or Fault text: %s", de.Body)
		return
	}
	Expect(de.ErrorBody).To(BeTrue(), "error answer is not the §2.1 error body: %s", de.Body)
	Expect(de.ErrorFlag).To(BeTrue(), "error body lacks \"Error\": true: %s", de.Body)
	Expect(de.ErrorType).NotTo(BeEmpty(), "error body lacks ErrorType: %s", de.Body)
	Expect(de.Message).NotTo(BeEmpty(), "error body lacks ErrorMessage: %s", de.Body)
	Expect(de.HasMessageField).To(BeFalse(), "error body has a Message field, which §2.1 rules out: %s", de.Body)
}

// IDs returns the ids of a list.
func IDs(list []driver.Webhook) []int32 {
	out := make([]int32, 0, len(list))
	for _, wh := range list {
		out = append(out, wh.ID)
	}
	return out
}

// Find returns the webhook with id in list, or nil.
func Find(list []driver.Webhook, id int32) *driver.Webhook {
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}

// ContainsFold reports whether list holds s, ignoring case.
func ContainsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// RESTOf returns the REST driver of a scenario, for raw requests.
func RESTOf(s *Scenario) *driver.RESTDriver {
	GinkgoHelper()
	d, ok := s.REST.(*driver.RESTDriver)
	Expect(ok).To(BeTrue(), "the REST driver is not available")
	return d
}

// AgentsOf returns the Agents driver of the run, for raw requests.
func AgentsOf(s *Scenario) *driver.AgentsDriver {
	GinkgoHelper()
	s.Env.failIfBroken(driver.Agents)
	d, reason := s.Env.Driver(driver.Agents)
	if d == nil {
		SkipBecause(reason)
	}
	a, ok := d.(*driver.AgentsDriver)
	Expect(ok).To(BeTrue(), "the Agents driver is not available")
	return a
}

// SOAPOf returns the SOAP driver of the run, for raw envelopes.
func SOAPOf(s *Scenario) *driver.SOAPDriver {
	GinkgoHelper()
	s.Env.failIfBroken(driver.SOAP)
	d, reason := s.Env.Driver(driver.SOAP)
	if d == nil {
		SkipBecause(reason)
	}
	sd, ok := d.(*driver.SOAPDriver)
	Expect(ok).To(BeTrue(), "the SOAP driver is not available")
	return sd
}
