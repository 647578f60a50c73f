package conformance

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/tidwall/gjson"

	"github.com/hookcheck/hookcheck/conformance/driver"
)

// Spec area "crud": defaults, create, read, list and its filters, update,
// PATCH in both formats, delete, $select, validation errors and
// server-owned fields (spec §1, §2).
var _ = Describe("crud", func() {
	if !enterArea() {
		return
	}
	for _, st := range driver.Styles {
		Context(string(st), func() {
			It("returns the documented default webhook", Clause("WH-CRUD-001", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				wh, err := s.D.Default(ctx)
				Expect(err).NotTo(HaveOccurred())
				Expect(wh).NotTo(BeNil())
				Expect(wh.ID).To(BeZero(), "WebhookId")
				Expect(wh.Events).To(Equal([]string{"contact.created", "contact.deleted"}), "Events")
				Expect(wh.State).To(Equal(driver.StateActive), "State")
				Expect(wh.Type).To(Equal("webhook"), "Type")
				for _, f := range []string{driver.FieldName, driver.FieldTargetURL, driver.FieldSecret, driver.FieldErrorsEmail, driver.FieldHeaders, driver.FieldProperties} {
					Expect(wh.IsNull(f)).To(BeTrue(), "%s should be null in the default webhook: %s", f, wh.Raw)
				}
			})

			It("creates a webhook and answers the saved entity", Clause("WH-CRUD-002", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				in := s.Hook(ch, func(w *driver.Webhook) {
					w.Events = []string{s.Event("created"), s.Event("deleted")}
					w.ErrorsEmail = "ops-" + s.Entity + "@example.com"
				})
				var got *driver.Webhook
				if st == driver.REST {
					body, _ := json.Marshal(restWebhookBody(in))
					resp, err := RESTOf(s).Do(ctx, http.MethodPost, "/api/v1/Webhook", body, nil)
					Expect(err).NotTo(HaveOccurred())
					Expect(resp.Status).To(Equal(http.StatusOK), "POST /api/v1/Webhook answers 200 (not 201): %s", resp.Body)
					id := gjson.GetBytes(resp.Body, "WebhookId").Int()
					s.Own(int32(id))
					got = s.Get(int32(id))
				} else {
					got = s.Create(in)
				}
				Expect(got.ID).To(BeNumerically(">", 0))
				Expect(got.Name).To(Equal(in.Name))
				Expect(got.Events).To(Equal(in.Events))
				Expect(got.TargetURL).To(Equal(in.TargetURL))
				Expect(got.State).To(Equal(driver.StateActive))
				Expect(got.Type).To(Equal("webhook"))
				Expect(got.ErrorsEmail).To(Equal(in.ErrorsEmail))
			})

			It("stores Headers and Properties", Clause("WH-CRUD-003", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				in := s.Hook(ch, func(w *driver.Webhook) {
					w.Headers = map[string]string{"X-Hookcheck-One": "1", "X-Hookcheck-Two": "two words"}
					w.Properties = map[string]any{"tenant": "acme", "count": float64(42), "flag": true}
				})
				created := s.Create(in)
				got := s.Get(created.ID)
				Expect(got.Headers).To(Equal(in.Headers), "Headers read back")
				Expect(got.Properties).To(Equal(in.Properties), "Properties read back")
			})

			It("reads a webhook by id", Clause("WH-CRUD-004", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				in := s.Hook(ch, func(w *driver.Webhook) { w.ErrorsEmail = "read@example.com" })
				created := s.Create(in)
				got := s.Get(created.ID)
				Expect(got.ID).To(Equal(created.ID))
				Expect(got.Name).To(Equal(in.Name))
				Expect(got.Events).To(Equal(in.Events))
				Expect(got.TargetURL).To(Equal(in.TargetURL))
				Expect(got.State).To(Equal(driver.StateActive))
				Expect(got.Type).To(Equal("webhook"))
				Expect(got.ErrorsEmail).To(Equal(in.ErrorsEmail))
			})

			It("does not return a webhook for an unknown id", Clause("WH-CRUD-006", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				id := deletedID(s)
				got, err := s.D.Get(ctx, id)
				Expect(Absent(got, err)).To(BeTrue(), "Get of deleted id %d returned a webhook", id)
				switch {
				case s.Profile().MissingID == "any":
				case st == driver.REST || s.Profile().MissingID == "error":
					de := ExpectRefused(err, fmt.Sprintf("Get of unknown id %d", id))
					if st == driver.REST {
						Expect(de.Status).To(Equal(http.StatusNotFound))
						ExpectErrorBody(de)
					}
				default:
					Expect(err).NotTo(HaveOccurred(), "%s GetWebhook of an unknown id answers null (§9 #18)", st)
					Expect(got).To(BeNil())
				}
			})

			It("lists every webhook", Clause("WH-CRUD-007", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				a := s.Create(s.Hook(ch))
				b := s.Create(s.Hook(ch))
				list, err := s.D.List(ctx, driver.Filter{})
				Expect(err).NotTo(HaveOccurred())
				Expect(IDs(list)).To(ContainElements(a.ID, b.ID))
				Expect(Find(list, a.ID).Name).To(Equal(a.Name))
			})

			It("filters the list by name", Clause("WH-CRUD-008", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				a := s.Create(s.Hook(ch))
				b := s.Create(s.Hook(ch))
				list, err := s.D.List(ctx, driver.Filter{Name: a.Name})
				Expect(err).NotTo(HaveOccurred())
				Expect(IDs(list)).To(ContainElement(a.ID))
				Expect(IDs(list)).NotTo(ContainElement(b.ID))
				for _, wh := range list {
					Expect(strings.EqualFold(wh.Name, a.Name)).To(BeTrue(), "name filter %q let %q through", a.Name, wh.Name)
				}
				prefix, err := s.D.List(ctx, driver.Filter{Name: a.Name[:len(a.Name)-1]})
				Expect(err).NotTo(HaveOccurred())
				Expect(IDs(prefix)).NotTo(ContainElement(a.ID), "the name filter is an exact match, not a prefix match")
				if s.Profile().EventMatch == "exact-ci" {
					upper, err := s.D.List(ctx, driver.Filter{Name: strings.ToUpper(a.Name)})
					Expect(err).NotTo(HaveOccurred())
					Expect(IDs(upper)).To(ContainElement(a.ID), "the name filter is case-insensitive (§9 #16)")
				}
			})

			It("filters the list by event", Clause("WH-CRUD-009", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				a := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Events = []string{s.Event("one"), s.Event("two")} }))
				b := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Events = []string{s.Event("three")} }))
				list, err := s.D.List(ctx, driver.Filter{Event: s.Event("two")})
				Expect(err).NotTo(HaveOccurred())
				Expect(IDs(list)).To(ContainElement(a.ID))
				Expect(IDs(list)).NotTo(ContainElement(b.ID))
				for _, wh := range list {
					Expect(containsFold(wh.Events, s.Event("two"))).To(BeTrue(), "event filter let %d %v through", wh.ID, wh.Events)
				}
			})

			It("filters the list by state", Clause("WH-CRUD-010", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				active := s.Create(s.Hook(ch))
				stopped := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.State = driver.StateStopped }))
				Expect(stopped.State).To(Equal(driver.StateStopped))
				byState := func(state string) []driver.Webhook {
					list, err := s.D.List(ctx, driver.Filter{Status: state})
					Expect(err).NotTo(HaveOccurred(), "list with statusFilter %s", state)
					return list
				}
				stoppedList := byState(driver.StateStopped)
				Expect(IDs(stoppedList)).To(ContainElement(stopped.ID))
				Expect(IDs(stoppedList)).NotTo(ContainElement(active.ID))
				for _, wh := range stoppedList {
					Expect(wh.State).To(Equal(driver.StateStopped), "statusFilter Stopped let %d (%s) through", wh.ID, wh.State)
				}
				activeList := byState(driver.StateActive)
				Expect(IDs(activeList)).To(ContainElement(active.ID))
				Expect(IDs(activeList)).NotTo(ContainElement(stopped.ID))
				Expect(IDs(byState(driver.StateUnknown))).To(ContainElements(active.ID, stopped.ID), "statusFilter Unknown means all states")
			})

			It("updates a webhook", Clause("WH-CRUD-011", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				created := s.Create(s.Hook(ch))
				upd := *created
				upd.Name = s.Name()
				upd.Events = []string{s.Event("updated"), s.Event("again")}
				upd.Headers = map[string]string{"X-Hookcheck-Updated": "yes"}
				upd.ErrorsEmail = "updated@example.com"
				got := s.Update(upd)
				Expect(got.ID).To(Equal(created.ID))
				Expect(got.Name).To(Equal(upd.Name))
				Expect(got.Events).To(Equal(upd.Events))
				again := s.Get(created.ID)
				Expect(again.Name).To(Equal(upd.Name))
				Expect(again.Events).To(Equal(upd.Events))
				Expect(again.Headers).To(Equal(upd.Headers))
				Expect(again.ErrorsEmail).To(Equal(upd.ErrorsEmail))
			})

			It("deletes a webhook", Clause("WH-CRUD-017", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				created := s.Create(s.Hook(ch))
				switch st {
				case driver.REST:
					resp, err := RESTOf(s).Do(ctx, http.MethodDelete, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, nil)
					Expect(err).NotTo(HaveOccurred())
					Expect(resp.Status).To(Equal(http.StatusNoContent), "DELETE answers 204: %s", resp.Body)
				case driver.Agents:
					resp, err := AgentsOf(s).Do(ctx, http.MethodPost, "DeleteWebhook", url.Values{"WebhookId": {strconv.Itoa(int(created.ID))}}, nil, nil)
					Expect(err).NotTo(HaveOccurred())
					Expect(resp.Status).To(Equal(http.StatusNoContent), "DeleteWebhook answers 204: %s", resp.Body)
				default:
					Expect(s.D.Delete(ctx, created.ID)).To(Succeed())
				}
				got, err := s.D.Get(ctx, created.ID)
				Expect(Absent(got, err)).To(BeTrue(), "the deleted webhook can still be read")
				list, err := s.D.List(ctx, driver.Filter{})
				Expect(err).NotTo(HaveOccurred())
				Expect(IDs(list)).NotTo(ContainElement(created.ID))
			})

			It("refuses a save with empty Events", Clause("WH-CRUD-020", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				if !s.Profile().RequiredFields {
					SkipBecause("the profile says the target accepts empty Events (--required-fields=false)")
				}
				ch := s.Channel()
				for _, events := range [][]string{nil, {}} {
					in := s.Hook(ch, func(w *driver.Webhook) { w.Events = events })
					_, err := s.TryCreate(nil, in)
					de := ExpectRefused(err, fmt.Sprintf("save with Events %v", events))
					ExpectErrorBody(de)
					Expect(s.Stored(in.Name)).To(BeFalse(), "the refused webhook was stored")
				}
			})

			It("refuses a webhook without TargetUrl", Clause("WH-CRUD-021", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				if !s.Profile().RequiredFields {
					SkipBecause("the profile says the target accepts an empty TargetUrl (--required-fields=false)")
				}
				in := s.Hook(nil)
				_, err := s.TryCreate(nil, in)
				de := ExpectRefused(err, "save without TargetUrl")
				ExpectErrorBody(de)
				Expect(s.Stored(in.Name)).To(BeFalse(), "the refused webhook was stored")
			})

			It("sets Registered and RegisteredAssociate itself", Clause("WH-CRUD-023", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				forged := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
				in := s.Hook(ch, func(w *driver.Webhook) {
					w.Registered = forged
					w.RegisteredAssociate = &driver.Associate{AssociateID: 987654, Name: "FORGED"}
				})
				before := time.Now()
				created := s.Create(in)
				got := s.Get(created.ID)
				Expect(got.Registered.Equal(forged)).To(BeFalse(), "Registered kept the client's value")
				Expect(got.Registered).To(BeTemporally("~", before, 10*time.Minute), "Registered is the save time")
				Expect(got.RegisteredAssociate).NotTo(BeNil(), "RegisteredAssociate is set: %s", got.Raw)
				Expect(got.RegisteredAssociate.AssociateID).NotTo(Equal(int32(987654)), "RegisteredAssociate kept the client's value")
				Expect(got.RegisteredAssociate.AssociateID).To(BeNumerically(">", 0))
			})

			It("sets Updated and UpdatedAssociate on update and keeps Registered", Clause("WH-CRUD-024", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				created := s.Create(s.Hook(ch))
				first := s.Get(created.ID)
				upd := *first
				upd.Name = s.Name()
				upd.Updated = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
				upd.UpdatedAssociate = &driver.Associate{AssociateID: 987654, Name: "FORGED"}
				s.Update(upd)
				got := s.Get(created.ID)
				Expect(got.Registered.Equal(first.Registered)).To(BeTrue(), "Registered changed on update: %s → %s", first.Registered, got.Registered)
				Expect(got.Updated.Year()).To(BeNumerically(">", 2001), "Updated kept the client's value or stayed unset: %s", got.Updated)
				Expect(got.Updated.Before(first.Registered)).To(BeFalse(), "Updated %s is before Registered %s", got.Updated, first.Registered)
				Expect(got.UpdatedAssociate).NotTo(BeNil(), "UpdatedAssociate is set: %s", got.Raw)
				Expect(got.UpdatedAssociate.AssociateID).NotTo(Equal(int32(987654)), "UpdatedAssociate kept the client's value")
				Expect(got.UpdatedAssociate.AssociateID).To(BeNumerically(">", 0))
			})

			It("stores two webhooks with the same name", Clause("WH-CRUD-029", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				a := s.Create(s.Hook(ch))
				b := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Name = a.Name }))
				Expect(b.ID).NotTo(Equal(a.ID))
				list, err := s.D.List(ctx, driver.Filter{Name: a.Name})
				Expect(err).NotTo(HaveOccurred())
				Expect(IDs(list)).To(ContainElements(a.ID, b.ID))
			})
		})
	}

	for _, st := range []driver.Style{driver.REST, driver.Agents} {
		Context(string(st), func() {
			It("keeps only the $select properties", Clause("WH-CRUD-019", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				created := s.Create(s.Hook(ch, func(w *driver.Webhook) {
					w.ErrorsEmail = "select@example.com"
					w.Headers = map[string]string{"X-Hookcheck": "1"}
				}))
				got, err := s.D.Get(ctx, created.ID, driver.Select("name,events"))
				Expect(err).NotTo(HaveOccurred())
				Expect(got).NotTo(BeNil())
				Expect(got.Name).To(Equal(created.Name), "Name was selected: %s", got.Raw)
				Expect(got.Events).To(Equal(created.Events), "Events were selected: %s", got.Raw)
				for _, f := range []string{driver.FieldTargetURL, driver.FieldType, driver.FieldErrorsEmail, driver.FieldHeaders} {
					Expect(got.IsNull(f)).To(BeTrue(), "%s was not selected and must be null: %s", f, got.Raw)
				}
				list, err := s.D.List(ctx, driver.Filter{Name: created.Name}, driver.Select("NAME"))
				Expect(err).NotTo(HaveOccurred())
				item := Find(list, created.ID)
				if item == nil && len(list) == 1 {
					item = &list[0]
				}
				Expect(item).NotTo(BeNil(), "the list with $select still holds the webhook: %v", IDs(list))
				Expect(item.Name).To(Equal(created.Name))
				Expect(item.IsNull(driver.FieldTargetURL)).To(BeTrue(), "TargetUrl was not selected in the list: %s", item.Raw)
			})

			It("reports errors with the documented error body", Clause("WH-CRUD-022", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				_, err := s.TryCreate(nil, s.Hook(nil, func(w *driver.Webhook) { w.Events = nil }))
				ExpectErrorBody(ExpectRefused(err, "save without Events or TargetUrl"))
				if st == driver.REST {
					_, err = s.D.Get(ctx, deletedID(s))
					ExpectErrorBody(ExpectRefused(err, "REST GET of an unknown id"))
				}
			})

			It("spells State as its enum name", Clause("WH-CRUD-033", st), func(ctx SpecContext) {
				s := Begin(ctx, st)
				ch := s.Channel()
				created := s.Create(s.Hook(ch))
				stateOf := func() gjson.Result {
					wh := s.Get(created.ID)
					return gjson.Get(wh.Raw, "State")
				}
				Expect(stateOf().Type).To(Equal(gjson.String), "State is a JSON string")
				Expect(stateOf().String()).To(Equal("Active"))
				s.SetState(created.ID, driver.StateStopped)
				Expect(stateOf().String()).To(Equal("Stopped"))
			})
		})
	}

	Context("rest", func() {
		const st = driver.REST

		It("carries _Links on single items only", Clause("WH-CRUD-005", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			Expect(created.Links).To(HaveKey("Self"), "POST answer has _Links.Self: %s", created.Raw)
			got := s.Get(created.ID)
			Expect(got.Links).To(HaveKey("Self"), "GET answer has _Links.Self: %s", got.Raw)
			Expect(got.Links["Self"]).To(ContainSubstring(strconv.Itoa(int(created.ID))))
			list, err := s.D.List(ctx, driver.Filter{Name: created.Name})
			Expect(err).NotTo(HaveOccurred())
			for _, wh := range list {
				Expect(gjson.Get(wh.Raw, "_Links").Exists()).To(BeFalse(), "list items carry no _Links: %s", wh.Raw)
			}
		})

		It("applies a JSON Patch", Clause("WH-CRUD-012", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.Properties = map[string]any{"drop": "me"} }))
			name := s.Name()
			got, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "replace", Path: "/Name", Value: name},
				{Op: "add", Path: "/ErrorsEmail", Value: "patched@example.com"},
				{Op: "remove", Path: "/Properties"},
			}})
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Name).To(Equal(name))
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(name))
			Expect(again.ErrorsEmail).To(Equal("patched@example.com"))
			Expect(again.Properties).To(BeEmpty(), "remove /Properties cleared them: %s", again.Raw)
			Expect(again.Events).To(Equal(created.Events), "fields not patched keep their values")
		})

		It("matches JSON Patch paths case-insensitively, with or without a slash", Clause("WH-CRUD-013", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			name := s.Name()
			_, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "replace", Path: "name", Value: name},
				{Op: "replace", Path: "/ERRORSEMAIL", Value: "case@example.com"},
			}})
			Expect(err).NotTo(HaveOccurred())
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(name), `path "name" is /Name`)
			Expect(again.ErrorsEmail).To(Equal("case@example.com"), `path "/ERRORSEMAIL" is /ErrorsEmail`)
		})

		It("applies a Merge Patch", Clause("WH-CRUD-014", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			name := s.Name()
			got, err := s.D.Patch(ctx, created.ID, driver.Patch{Merge: map[string]any{"Name": name, "ErrorsEmail": "merge@example.com"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Name).To(Equal(name))
			again := s.Get(created.ID)
			Expect(again.Name).To(Equal(name))
			Expect(again.ErrorsEmail).To(Equal("merge@example.com"))
			Expect(again.Events).To(Equal(created.Events))
			Expect(again.TargetURL).To(Equal(created.TargetURL))
		})

		It("answers 409 to a failing test operation and saves nothing", Clause("WH-CRUD-015", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			_, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "test", Path: "/Name", Value: created.Name + "-not"},
				{Op: "replace", Path: "/Name", Value: s.Name()},
			}})
			de := ExpectRefused(err, "PATCH with a failing test")
			Expect(de.Status).To(Equal(http.StatusConflict))
			Expect(s.Get(created.ID).Name).To(Equal(created.Name), "nothing was saved")
			_, err = s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{
				{Op: "test", Path: "/Name", Value: created.Name},
				{Op: "add", Path: "/ErrorsEmail", Value: "tested@example.com"},
			}})
			Expect(err).NotTo(HaveOccurred(), "a passing test operation lets the patch through")
			Expect(s.Get(created.ID).ErrorsEmail).To(Equal("tested@example.com"))
		})

		It("refuses JSON Patch move and copy", Clause("WH-CRUD-016", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			for _, op := range []string{"copy", "move"} {
				_, err := s.D.Patch(ctx, created.ID, driver.Patch{Ops: []driver.PatchOp{{Op: op, From: "/Name", Path: "/ErrorsEmail"}}})
				ExpectRefused(err, "PATCH "+op)
				again := s.Get(created.ID)
				Expect(again.Name).To(Equal(created.Name), "nothing was saved by %s", op)
				Expect(again.ErrorsEmail).To(BeEmpty(), "nothing was saved by %s", op)
			}
		})

		It("answers 404 to PUT, PATCH and DELETE of an unknown id", Clause("WH-CRUD-018", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			id := deletedID(s)
			in := s.Hook(ch, func(w *driver.Webhook) { w.ID = id })
			_, putErr := s.D.Update(ctx, in)
			_, patchErr := s.D.Patch(ctx, id, driver.Patch{Merge: map[string]any{"Name": s.Name()}})
			delErr := s.D.Delete(ctx, id)
			for what, err := range map[string]error{"PUT": putErr, "PATCH": patchErr, "DELETE": delErr} {
				de := ExpectRefused(err, what+" of unknown id")
				if s.Profile().MissingID != "any" {
					Expect(de.Status).To(Equal(http.StatusNotFound), "%s of an unknown id", what)
				}
			}
			Expect(s.Stored(in.Name)).To(BeFalse(), "PUT of an unknown id created a webhook")
		})

		It("creates a new webhook on POST whatever WebhookId the body holds", Clause("WH-CRUD-025", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().IDPolicy == "any" {
				SkipBecause("the profile does not pin the id policy (--id-policy any)")
			}
			ch := s.Channel()
			a := s.Create(s.Hook(ch))
			b := s.Create(s.Hook(ch, func(w *driver.Webhook) { w.ID = a.ID }))
			Expect(b.ID).NotTo(Equal(a.ID), "POST with the WebhookId of an existing hook created a new one")
			Expect(s.Get(a.ID).Name).To(Equal(a.Name), "the existing webhook is unchanged")
		})

		It("uses the path id on PUT and PATCH", Clause("WH-CRUD-026", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			if s.Profile().IDPolicy == "any" {
				SkipBecause("the profile does not pin the id policy (--id-policy any)")
			}
			ch := s.Channel()
			a := s.Create(s.Hook(ch))
			b := s.Create(s.Hook(ch))
			body := restWebhookBody(*a)
			body["WebhookId"] = b.ID
			name := s.Name()
			body["Name"] = name
			data, _ := json.Marshal(body)
			resp, err := RESTOf(s).Do(ctx, http.MethodPut, "/api/v1/Webhook/"+strconv.Itoa(int(a.ID)), data, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "PUT: %s", resp.Body)
			Expect(s.Get(a.ID).Name).To(Equal(name), "PUT saved the webhook of the path")
			Expect(s.Get(b.ID).Name).To(Equal(b.Name), "PUT left the webhook of the body id alone")
			got, err := s.D.Patch(ctx, a.ID, driver.Patch{Merge: map[string]any{"WebhookId": b.ID, "Name": s.Name()}})
			if err == nil {
				Expect(got.ID).To(Equal(a.ID), "PATCH answered another webhook than the path's")
			}
			Expect(s.Get(b.ID).Name).To(Equal(b.Name), "PATCH left the webhook of the body id alone")
		})

		It("answers 400 to a PUT without a body", Clause("WH-CRUD-027", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			resp, err := RESTOf(s).Do(ctx, http.MethodPut, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, http.Header{"Content-Type": {"application/json"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusBadRequest), "PUT without a body: %s", resp.Body)
			Expect(gjson.GetBytes(resp.Body, "ErrorMessage").String()).To(ContainSubstring("Entity to save is not in request body"))
		})

		It("accepts State as a name in any case or as a number", Clause("WH-CRUD-028", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			for _, tc := range []struct {
				state any
				want  string
			}{{"stopped", driver.StateStopped}, {"ACTIVE", driver.StateActive}, {2, driver.StateStopped}, {1, driver.StateActive}} {
				in := restWebhookBody(s.Hook(ch))
				in["State"] = tc.state
				data, _ := json.Marshal(in)
				resp, err := RESTOf(s).Do(ctx, http.MethodPost, "/api/v1/Webhook", data, nil)
				Expect(err).NotTo(HaveOccurred())
				id := int32(gjson.GetBytes(resp.Body, "WebhookId").Int())
				s.Own(id)
				Expect(resp.Status).To(Equal(http.StatusOK), "POST with State %#v: %s", tc.state, resp.Body)
				Expect(s.State(id)).To(Equal(tc.want), "State %#v", tc.state)
			}
		})

		It("answers 412 to a PATCH with a stale If-Unmodified-Since", Clause("WH-CRUD-030", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			stale := s.Get(created.ID).Registered.Add(-time.Hour)
			_, err := s.D.Patch(ctx, created.ID, driver.Patch{Merge: map[string]any{"Name": s.Name()}}, driver.IfUnmodifiedSince(stale))
			de := ExpectRefused(err, "PATCH with If-Unmodified-Since an hour before the last change")
			Expect(de.Status).To(Equal(http.StatusPreconditionFailed))
			Expect(s.Get(created.ID).Name).To(Equal(created.Name), "nothing was saved")
		})

		It("returns XML for Accept application/xml", Clause("WH-CRUD-032", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			resp, err := RESTOf(s).Do(ctx, http.MethodGet, "/api/v1/Webhook/"+strconv.Itoa(int(created.ID)), nil, http.Header{"Accept": {"application/xml"}})
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(Equal(http.StatusOK), "GET with Accept application/xml: %s", resp.Body)
			Expect(resp.Header.Get("Content-Type")).To(ContainSubstring("xml"))
			var doc struct {
				XMLName   xml.Name
				WebhookID int32  `xml:"WebhookId"`
				Name      string `xml:"Name"`
			}
			Expect(xml.Unmarshal(resp.Body, &doc)).To(Succeed(), "the answer is XML: %s", resp.Body)
			Expect(doc.WebhookID).To(Equal(created.ID))
			Expect(doc.Name).To(Equal(created.Name))
		})
	})

	Context("soap", func() {
		const st = driver.SOAP

		It("spells State as its WebhookState name", Clause("WH-CRUD-034", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			// The driver maps a numeric State to its name, so read the
			// element as the target wrote it.
			stateOf := func() string {
				raw := s.Get(created.ID).Raw
				var doc struct {
					State string `xml:"State"`
				}
				Expect(xml.Unmarshal([]byte(raw), &doc)).To(Succeed(), "the SOAP Webhook is XML: %s", raw)
				return strings.TrimSpace(doc.State)
			}
			Expect(stateOf()).To(Equal("Active"), "State of a new webhook")
			s.SetState(created.ID, driver.StateStopped)
			Expect(stateOf()).To(Equal("Stopped"), "State after stopping it")
		})
	})

	Context("agents", func() {
		const st = driver.Agents

		It("describes an agent method on GET without invoking it", Clause("WH-CRUD-031", st), func(ctx SpecContext) {
			s := Begin(ctx, st)
			ch := s.Channel()
			created := s.Create(s.Hook(ch))
			resp, err := AgentsOf(s).Do(ctx, http.MethodGet, "DeleteWebhook", url.Values{"WebhookId": {strconv.Itoa(int(created.ID))}}, nil, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(resp.Status).To(BeNumerically("<", 300), "GET on the agent URL answers a description: %s", resp.Body)
			Expect(strings.TrimSpace(string(resp.Body))).NotTo(BeEmpty(), "the description is not empty")
			Expect(s.Get(created.ID).ID).To(Equal(created.ID), "GET did not invoke DeleteWebhook")
		})
	})
})

// deletedID returns the id of a webhook that existed and was deleted: an
// id the target surely does not hold.
func deletedID(s *Scenario) int32 {
	GinkgoHelper()
	ch := s.Channel()
	wh := s.CreateVia(s.REST, s.Hook(ch))
	Expect(s.REST.Delete(s.Ctx(), wh.ID)).To(Succeed(), "delete webhook %d", wh.ID)
	return wh.ID
}

// restWebhookBody is the JSON object the REST driver sends for wh, for
// specs that adjust it before a raw request.
func restWebhookBody(wh driver.Webhook) map[string]any {
	m := map[string]any{
		"WebhookId": wh.ID, "Name": wh.Name, "Events": wh.Events, "TargetUrl": wh.TargetURL,
		"State": wh.State, "Type": wh.Type,
	}
	if wh.Secret != "" {
		m["Secret"] = wh.Secret
	}
	if wh.ErrorsEmail != "" {
		m["ErrorsEmail"] = wh.ErrorsEmail
	}
	if wh.Headers != nil {
		m["Headers"] = wh.Headers
	}
	if wh.Properties != nil {
		m["Properties"] = wh.Properties
	}
	return m
}
