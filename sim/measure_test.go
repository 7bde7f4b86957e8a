package sim

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// Measurement: the SLA clock a target is counted on, and costs per
// interval.

// An email written on Saturday and answered on Monday morning is within a
// 2-hour business-hours SLA, and far outside a calendar one.
func TestBusinessHoursClockStopsOutsideHours(t *testing.T) {
	scenario := func(clock string) *model.Scenario {
		return newScenario("8d").set("replications", "5").
			raw("[business_hours]\ndays = \"mon-fri\"\nopen = \"09:00\"\nclose = \"17:00\"").
			raw("[[profile]]\nname = \"saturday-only\"\nweekly = [0, 0, 0, 0, 0, 1, 0]").
			email("20/h", sla(0.9, "2h", fmt.Sprintf("clock = %q", clock)), `profile = "saturday-only"`).
			category("any", 1, exponential("2m")).
			tier("rep", []string{"email"}).
			shiftOn("rep", `days = "mon-fri"`, "09:00", "8h", 20).parse(t)
	}
	biz, err := Run(scenario("business"), Options{})
	require.NoError(t, err)
	cal, err := Run(scenario("calendar"), Options{})
	require.NoError(t, err)
	assert.Greater(t, biz.Channels[0].Offered.Mean, 300.0)
	assert.Greater(t, biz.Channels[0].ServiceLevel.Mean, 0.99, "business clock: Saturday and Sunday do not count")
	assert.Less(t, cal.Channels[0].ServiceLevel.Mean, 0.01, "calendar clock: 40+ hours late")

	// The clock itself: Friday 16:00 to Monday 10:00 is 2 business hours.
	p, err := compile(scenario("business"))
	require.NoError(t, err)
	fri16 := 4*86400.0 + 16*3600
	mon10 := 7*86400.0 + 10*3600
	assert.InDelta(t, 2*3600, p.businessElapsed(fri16, mon10), 1e-6)
}

// The cost of each interval, split over channels, adds up to the period's
// total cost (staff and automation).
func TestIntervalCostsAddUp(t *testing.T) {
	sc, err := model.Load("../scenarios/black-friday.toml")
	require.NoError(t, err)
	r, err := Run(sc, Options{Replications: 3})
	require.NoError(t, err)
	var sum float64
	perChannel := map[string]float64{}
	for _, iv := range r.Intervals {
		sum += iv.Cost.Mean
		perChannel[iv.Channel] += iv.Cost.Mean
	}
	assert.InDelta(t, r.Cost.Total.Mean, sum, 1e-6*r.Cost.Total.Mean)
	// Email, with most of the handle time, carries more cost than SMS.
	assert.Greater(t, perChannel["email"], 2*perChannel["sms"])
}
