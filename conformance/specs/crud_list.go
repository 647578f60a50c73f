package specs

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/conformance/driver"
	. "github.com/hookcheck/hookcheck/conformance/framework"
)

// Spec area "crud", listing webhooks and of the name, event and state
// filters (spec §2.2 R2).
var _ = Describe("crud", func() {
	if !Area() {
		return
	}
	ForStyles(driver.Styles, func(st driver.Style) {
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
				Expect(ContainsFold(wh.Events, s.Event("two"))).To(BeTrue(), "event filter let %d %v through", wh.ID, wh.Events)
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
	})
})
