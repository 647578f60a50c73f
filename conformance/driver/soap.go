package driver

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// SOAPDriver drives the SOAP front end `Webhook.svc` (spec §2.5):
// document/literal, SOAP 1.1 by default (SOAPAction header) or 1.2.
// Failures come back as ExceptionInfo/Succeeded response headers or as a
// Fault (§9 #21); both become an *Error.
type SOAPDriver struct {
	cfg Config
}

// NewSOAP returns a SOAP driver for cfg.
func NewSOAP(cfg Config) (*SOAPDriver, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &SOAPDriver{cfg: c}, nil
}

// Config returns the driver's configuration, defaults filled in.
func (d *SOAPDriver) Config() Config { return d.cfg }

// Style implements Driver.
func (d *SOAPDriver) Style() Style { return SOAP }

// Envelope returns the request envelope of operation op whose body element
// holds inner (XML written with the "wh" prefix for the service namespace,
// "arr" for the serialisation arrays, "xsi" and "xsd").
func (d *SOAPDriver) Envelope(op, inner string) []byte {
	return d.EnvelopeWithHeader(op, "", inner)
}

// EnvelopeWithHeader is Envelope with extra XML written into the Header
// after the credentials (header blocks such as TimeZone, or ones carrying
// mustUnderstand).
func (d *SOAPDriver) EnvelopeWithHeader(op, header, inner string) []byte {
	envNS := nsSOAP11
	if d.cfg.SOAPVersion == SOAP12 {
		envNS = nsSOAP12
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>`)
	fmt.Fprintf(&b, `<s:Envelope xmlns:s="%s" xmlns:wh="%s" xmlns:arr="%s" xmlns:xsi="%s" xmlns:xsd="%s">`,
		envNS, d.cfg.SOAPNamespace, nsArrays, nsXSI, nsXSD)
	b.WriteString(`<s:Header>`)
	if d.cfg.AppToken != "" {
		fmt.Fprintf(&b, `<wh:ApplicationToken>%s</wh:ApplicationToken>`, xmlText(d.cfg.AppToken))
	}
	if t := d.cfg.Auth.Ticket(); t != "" {
		fmt.Fprintf(&b, `<wh:Credentials><wh:Ticket>%s</wh:Ticket></wh:Credentials>`, xmlText(t))
	}
	b.WriteString(header)
	b.WriteString(`</s:Header><s:Body>`)
	fmt.Fprintf(&b, `<wh:%s>%s</wh:%s>`, op, inner, op)
	b.WriteString(`</s:Body></s:Envelope>`)
	return []byte(b.String())
}

// Do posts a raw envelope for operation op and returns the answer as it
// came.
func (d *SOAPDriver) Do(ctx context.Context, op string, envelope []byte) (*Response, error) {
	action := d.cfg.SOAPNamespace + "/Webhook/" + op
	h := http.Header{}
	if d.cfg.SOAPVersion == SOAP12 {
		h.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+action+`"`)
	} else {
		h.Set("Content-Type", "text/xml; charset=utf-8")
		h.Set("SOAPAction", `"`+action+`"`)
	}
	if d.cfg.Auth.Ticket() == "" {
		if a := d.cfg.Auth.Header(); a != "" {
			h.Set("Authorization", a)
		}
	}
	return roundTrip(ctx, d.cfg.HTTPClient, http.MethodPost, d.cfg.SOAPURL, envelope, h)
}

// call runs operation op and returns the <Response> element of its answer
// (nil when the operation answers nothing), or an *Error. The Body's first
// element must be the <{op}Response> wrapper (spec §2.5); an answer without
// it is an error, whatever else the Body holds.
func (d *SOAPDriver) call(ctx context.Context, op, inner string) (*xnode, error) {
	resp, err := d.Do(ctx, op, d.Envelope(op, inner))
	if err != nil {
		return nil, fmt.Errorf("soap %s: %w", op, err)
	}
	_, wrapper, err := unwrap(op, resp)
	if err != nil {
		return nil, err
	}
	return wrapper.child("Response"), nil
}

// unwrap checks a raw answer of operation op: a SOAP envelope, no Fault or
// ExceptionInfo, a 2xx status and the <{op}Response> wrapper as the Body's
// first element. It returns the envelope and the wrapper.
func unwrap(op string, resp *Response) (env, wrapper *xnode, err error) {
	env, perr := parseXML(resp.Body)
	if perr != nil || !env.is("Envelope") {
		if resp.Status < 200 || resp.Status > 299 {
			return nil, nil, &Error{Style: SOAP, Op: op, Status: resp.Status, Body: string(resp.Body)}
		}
		return nil, nil, fmt.Errorf("soap %s: answer is not a SOAP envelope (HTTP %d): %s", op, resp.Status, clip(string(resp.Body), 300))
	}
	if e := soapFailure(op, resp, env); e != nil {
		return nil, nil, e
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, nil, &Error{Style: SOAP, Op: op, Status: resp.Status, Body: string(resp.Body)}
	}
	body := env.child("Body")
	if body == nil {
		return nil, nil, fmt.Errorf("soap %s: the envelope has no Body", op)
	}
	wrapper = body.firstChild()
	if !wrapper.is(op + "Response") {
		return nil, nil, fmt.Errorf("soap %s: the Body holds %s, not the <%sResponse> wrapper the WSDL declares: %s", op, elementName(wrapper), op, clip(string(resp.Body), 300))
	}
	return env, wrapper, nil
}

// elementName names n for an error message: <local>, or "no element".
func elementName(n *xnode) string {
	if n == nil {
		return "no element"
	}
	return "<" + n.name.Local + ">"
}

// soapFailure returns the *Error a SOAP answer reports, through a Fault or
// through the ExceptionInfo / Succeeded headers, or nil.
func soapFailure(op string, resp *Response, env *xnode) *Error {
	e := &Error{Style: SOAP, Op: op, Status: resp.Status, Body: string(resp.Body)}
	if f := env.path("Body", "Fault"); f != nil {
		e.Fault = true
		e.ErrorType = f.child("faultcode").value()
		e.Message = f.child("faultstring").value()
		if code := f.path("Code", "Value"); code != nil {
			e.ErrorType = code.value()
		}
		if reason := f.path("Reason", "Text"); reason != nil {
			e.Message = reason.value()
		}
		if ex := f.path("detail", "ExceptionInfo"); ex != nil {
			fillExceptionInfo(e, ex)
		}
		return e
	}
	hdr := env.child("Header")
	if ex := hdr.child("ExceptionInfo"); !ex.isNil() && (len(ex.children) > 0 || ex.value() != "") {
		fillExceptionInfo(e, ex)
		return e
	}
	if s := hdr.child("Succeeded"); s != nil && strings.EqualFold(s.value(), "false") {
		return e
	}
	return nil
}

// fillExceptionInfo copies a SoExceptionInfo into e.
func fillExceptionInfo(e *Error, ex *xnode) {
	if t := ex.child("ExceptionType").value(); t != "" {
		e.ErrorType = t
	}
	if m := ex.child("Message").value(); m != "" {
		e.Message = m
	} else if m := ex.child("FriendlyText").value(); m != "" {
		e.Message = m
	}
	e.Source = ex.child("Source").value()
}

// noSelect refuses $select, which SOAP does not have.
func noSelect(op string, opts []CallOption) error {
	if collect(opts).selectFields != "" {
		return fmt.Errorf("soap %s $select: %w", op, ErrUnsupported)
	}
	return nil
}

// Default implements Driver: CreateDefaultWebhook.
func (d *SOAPDriver) Default(ctx context.Context) (*Webhook, error) {
	return d.webhookOp(ctx, "CreateDefaultWebhook", "")
}

// webhookOp runs an operation whose answer is a Webhook.
func (d *SOAPDriver) webhookOp(ctx context.Context, op, inner string) (*Webhook, error) {
	r, err := d.call(ctx, op, inner)
	if err != nil {
		return nil, err
	}
	wh, err := webhookFromXML(r)
	if err != nil {
		return nil, fmt.Errorf("soap %s: %w", op, err)
	}
	if wh != nil {
		wh.Raw = r.raw()
	}
	return wh, nil
}

// List implements Driver: GetAllWebhooks.
func (d *SOAPDriver) List(ctx context.Context, f Filter, opts ...CallOption) ([]Webhook, error) {
	if err := noSelect("GetAllWebhooks", opts); err != nil {
		return nil, err
	}
	var w soapWriter
	if f.Name != "" {
		w.elem("NameFilter", f.Name)
	}
	if f.Event != "" {
		w.elem("EventFilter", f.Event)
	}
	status := f.Status
	if status == "" {
		status = StateUnknown
	}
	w.elem("StatusFilter", status)
	r, err := d.call(ctx, "GetAllWebhooks", w.b.String())
	if err != nil {
		return nil, err
	}
	out := []Webhook{}
	if r == nil {
		return out, nil
	}
	for i, c := range r.children {
		wh, err := webhookFromXML(c)
		if err != nil {
			return nil, fmt.Errorf("soap GetAllWebhooks: item %d: %w", i, err)
		}
		if wh == nil {
			return nil, fmt.Errorf("soap GetAllWebhooks: item %d is nil", i)
		}
		wh.Raw = c.raw()
		out = append(out, *wh)
	}
	return out, nil
}

// Get implements Driver: GetWebhook; a nil answer gives nil.
func (d *SOAPDriver) Get(ctx context.Context, id int32, opts ...CallOption) (*Webhook, error) {
	if err := noSelect("GetWebhook", opts); err != nil {
		return nil, err
	}
	var w soapWriter
	w.elem(FieldWebhookID, strconv.Itoa(int(id)))
	return d.webhookOp(ctx, "GetWebhook", w.b.String())
}

// Create implements Driver: SaveWebhook with WebhookId 0.
func (d *SOAPDriver) Create(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error) {
	wh.ID = 0
	return d.Update(ctx, wh, opts...)
}

// Update implements Driver: SaveWebhook.
func (d *SOAPDriver) Update(ctx context.Context, wh Webhook, opts ...CallOption) (*Webhook, error) {
	if err := noSelect("SaveWebhook", opts); err != nil {
		return nil, err
	}
	var w soapWriter
	w.webhook("Webhook", wh)
	return d.webhookOp(ctx, "SaveWebhook", w.b.String())
}

// Patch implements Driver: SOAP has no PATCH.
func (d *SOAPDriver) Patch(context.Context, int32, Patch, ...CallOption) (*Webhook, error) {
	return nil, fmt.Errorf("soap Patch: %w", ErrUnsupported)
}

// Delete implements Driver: DeleteWebhook.
func (d *SOAPDriver) Delete(ctx context.Context, id int32) error {
	var w soapWriter
	w.elem(FieldWebhookID, strconv.Itoa(int(id)))
	_, err := d.call(ctx, "DeleteWebhook", w.b.String())
	return err
}

// Test implements Driver: TestWebhook.
func (d *SOAPDriver) Test(ctx context.Context, wh Webhook) (*TestResult, error) {
	var w soapWriter
	w.webhook("Webhook", wh)
	r, err := d.call(ctx, "TestWebhook", w.b.String())
	if err != nil {
		return nil, err
	}
	if r.isNil() {
		return nil, fmt.Errorf("soap TestWebhook: the answer has no WebhookResult")
	}
	return &TestResult{
		Success: strings.EqualFold(r.child("Success").value(), "true"),
		Message: r.child("Message").text,
	}, nil
}

// Signal implements Driver: SignalEvent.
func (d *SOAPDriver) Signal(ctx context.Context, event string, primaryKey int32, data map[string]any) error {
	var w soapWriter
	w.elem("EventName", event)
	w.elem("PrimaryKey", strconv.Itoa(int(primaryKey)))
	if data != nil {
		w.objectDictionary("Data", data)
	}
	_, err := d.call(ctx, "SignalEvent", w.b.String())
	return err
}

// LastError implements Driver: GetLastError.
func (d *SOAPDriver) LastError(ctx context.Context, id int32) (string, error) {
	var w soapWriter
	w.elem(FieldWebhookID, strconv.Itoa(int(id)))
	r, err := d.call(ctx, "GetLastError", w.b.String())
	if err != nil {
		return "", err
	}
	if r.isNil() {
		return "", nil
	}
	return r.text, nil
}
