package reports

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("layoutTimeline", func() {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

	It("returns nothing for no calls", func() {
		Expect(layoutTimeline(nil)).To(BeNil())
	})

	It("places calls by time since the first, one lane per event id in order of appearance", func() {
		tl := layoutTimeline([]CallPoint{
			{Seq: 1, At: at, EventID: "e1", Status: 500},
			{Seq: 2, At: at.Add(time.Second), EventID: "e2", Status: 200},
			{Seq: 3, At: at.Add(4 * time.Second), EventID: "e1", Retry: 1, Status: 200},
		})
		Expect(tl.ByOrder).To(BeFalse())
		Expect(tl.Rows).To(HaveLen(2))
		Expect(tl.Rows[0].Full).To(Equal("e1"))
		Expect(tl.Rows[1].Y).To(BeNumerically(">", tl.Rows[0].Y))
		Expect(tl.Markers[0].X).To(Equal(tl.PlotX0))
		Expect(tl.Markers[2].X).To(Equal(tl.PlotX1))
		Expect(tl.Markers[1].X).To(BeNumerically("~", tl.PlotX0+(tl.PlotX1-tl.PlotX0)/4, 0.1))
		Expect(tl.Markers[0].Y).To(Equal(tl.Markers[2].Y))
		Expect([]bool{tl.Markers[0].OK, tl.Markers[1].OK, tl.Markers[2].OK}).To(Equal([]bool{false, true, true}))
		Expect(tl.Markers[2].Text).To(Equal("1"))
		Expect(tl.Rows[0].X0).To(Equal(tl.PlotX0))
		Expect(tl.Rows[0].X1).To(Equal(tl.PlotX1))
		Expect(tl.Height).To(BeNumerically(">", tl.AxisY))
	})

	It("puts ticks at a 1-2-5 step from +0s to the end", func() {
		tl := layoutTimeline([]CallPoint{{At: at}, {At: at.Add(10 * time.Second)}})
		var labels []string
		for _, t := range tl.Ticks {
			labels = append(labels, t.Label)
		}
		Expect(labels).To(Equal([]string{"+0s", "+2.0s", "+4.0s", "+6.0s", "+8.0s", "+10.0s"}))
		Expect(tl.Ticks[len(tl.Ticks)-1].X).To(Equal(tl.PlotX1))
	})

	It("falls back to call order when times are missing or equal", func() {
		tl := layoutTimeline([]CallPoint{{Seq: 1}, {Seq: 2}, {Seq: 3}})
		Expect(tl.ByOrder).To(BeTrue())
		Expect(tl.Ticks).To(BeEmpty())
		Expect(tl.Markers[1].X).To(BeNumerically("~", (tl.PlotX0+tl.PlotX1)/2, 0.1))
		Expect(tl.Rows[0].Label).To(Equal(tlNoEventID))

		same := layoutTimeline([]CallPoint{{At: at}, {At: at}})
		Expect(same.ByOrder).To(BeTrue())
	})

	It("folds events beyond the lane limit into one lane", func() {
		var calls []CallPoint
		for i := 0; i < 40; i++ {
			calls = append(calls, CallPoint{Seq: i, At: at.Add(time.Duration(i) * time.Second), EventID: fmt.Sprintf("event-%02d", i)})
		}
		tl := layoutTimeline(calls)
		Expect(tl.Rows).To(HaveLen(tlMaxRows))
		Expect(tl.Rows[tlMaxRows-1].Label).To(Equal(tlOtherRow))
		Expect(tl.Markers).To(HaveLen(40))
		Expect(tl.Markers[39].Y).To(Equal(tl.Rows[tlMaxRows-1].Y))
	})

	It("shortens long event ids on the lane label and keeps them whole in the tooltip", func() {
		tl := layoutTimeline([]CallPoint{{At: at, EventID: "4b5ce038-0000-4000-8000-000000000001"}})
		Expect(tl.Rows[0].Label).To(Equal("4b5ce038…"))
		Expect(tl.Rows[0].Full).To(Equal("4b5ce038-0000-4000-8000-000000000001"))
		Expect(tl.Markers[0].X).To(Equal(tl.PlotX0))
	})
})
