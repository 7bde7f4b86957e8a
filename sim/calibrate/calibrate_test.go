package calibrate

import (
	"bytes"
	"flag"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/sim/trace"
)

var long = flag.Bool("long", false, "run the long known-answer tests")

// historyOf simulates replication 0 of a scenario and reads its trace back
// as history, as `slasim run --trace` then `slasim calibrate` would.
func historyOf(t testing.TB, sc *model.Scenario) *History {
	t.Helper()
	h := NewHistory(Config{Start: sc.Meta.Start, Interval: sc.Meta.Interval.Duration, Modes: modesOf(sc)})
	var buf bytes.Buffer
	w := trace.NewWriter(&buf)
	require.NoError(t, sim.TraceRun(sc, w.Write))
	require.NoError(t, w.Flush())
	require.NoError(t, ReadTrace(&buf, "trace.jsonl", sc.Meta.Start, &h.Issues, h.Add))
	return h
}

func modesOf(sc *model.Scenario) map[string]string {
	m := map[string]string{}
	for _, c := range sc.Channels {
		m[c.Name] = c.Mode
	}
	return m
}

func loadBundled(t testing.TB, name string) *model.Scenario {
	t.Helper()
	sc, err := model.Load(filepath.Join("..", "..", "scenarios", name))
	require.NoError(t, err)
	return sc
}

// truthRate is a channel's mean arrival rate per hour over a scenario's
// days: the base rate × the weekly multiplier of each day (the intraday
// shape has mean 1).
func truthRate(sc *model.Scenario, ch string) float64 {
	c := sc.Channels[sc.ChannelIndex(ch)]
	days := int(sc.Meta.Duration.Hours() / 24)
	w := 0.0
	for d := 0; d < days; d++ {
		f := 1.0
		if p := sc.ProfileIndex(c.Profile); p >= 0 && len(sc.Profiles[p].Weekly) == 7 {
			f = sc.Profiles[p].Weekly[(int(sc.Meta.Start.AddDate(0, 0, d).Weekday())+6)%7]
		}
		w += f
	}
	return c.Rate.PerHour() * w / float64(days)
}

func channelOf(cal *Calibration, name string) ChannelEstimate {
	for _, c := range cal.Channels {
		if c.Name == name {
			return c
		}
	}
	panic(name)
}

func categoryOf(cal *Calibration, name string) CategoryEstimate {
	for _, c := range cal.Categories {
		if c.Name == name {
			return c
		}
	}
	panic(name)
}

// within asserts that an estimate's 95% interval covers the true value.
func within(t *testing.T, what string, est, ci, truth float64) {
	t.Helper()
	require.LessOrEqualf(t, math.Abs(est-truth), ci, "%s: estimate %.4g ± %.3g does not cover the truth %.4g", what, est, ci, truth)
}

// TestTraceGivesSmallTeamBack feeds a bundled scenario's own trace back as
// history: the rates, category shares and handle-time means it gives must
// cover the scenario's within their 95% intervals, and the patience
// estimated with censored waits must match the true mean where the naive
// mean of abandoned waits is biased low by more than 30%.
func TestTraceGivesSmallTeamBack(t *testing.T) {
	sc := loadBundled(t, "small-team.toml")
	cal := historyOf(t, sc).Estimate("small-team trace")
	require.Equal(t, 7, cal.Days)
	for _, ch := range []string{"phone", "email"} {
		c := channelOf(cal, ch)
		within(t, ch+" rate", c.RatePerHour, c.RateCI95, truthRate(sc, ch))
	}
	for _, cat := range sc.Categories {
		e := categoryOf(cal, cat.Name)
		within(t, cat.Name+" share", e.Share, e.ShareCI95, cat.Share)
		within(t, cat.Name+" handle-time mean", e.HandleTime.Mean, e.HandleTime.MeanCI95, cat.HandleTime.Mean.Seconds())
		require.Equal(t, "lognormal", e.HandleTime.Best.Dist, "the scenario's handle times are lognormal")
	}
	p := channelOf(cal, "phone").Patience
	truth := sc.Channels[sc.ChannelIndex("phone")].Patience.Mean.Seconds()
	require.Greater(t, (truth-p.NaiveMean)/truth, 0.30, "the naive mean %.0fs should be biased low by over 30%% here", p.NaiveMean)
	// A 95% interval misses the truth one time in twenty, whatever the
	// seed: over ten weeks (the scenario's seed and nine more) the MLE's
	// covers it at least eight times (fewer has probability 1.2%), and the
	// Kaplan–Meier restricted mean lands within 30% as often. One seed
	// alone made the test fail on an engine change that moved its draw.
	covered, km := 0, 0
	for k := uint64(0); k < 10; k++ {
		c := *sc
		c.Meta.Seed = sc.Meta.Seed + k
		q := channelOf(historyOf(t, &c).Estimate("small-team trace"), "phone").Patience
		if q.MeanLow <= truth && truth <= q.MeanHigh {
			covered++
		} else {
			t.Logf("seed %d: MLE %.0fs [%.0f, %.0f] misses the true %.0fs", c.Meta.Seed, q.MeanMLE, q.MeanLow, q.MeanHigh, truth)
		}
		if math.Abs(q.KMRestrictedMean-truth) <= 0.3*truth {
			km++
		} else {
			t.Logf("seed %d: Kaplan–Meier restricted mean %.0fs, the truth %.0fs", c.Meta.Seed, q.KMRestrictedMean, truth)
		}
	}
	require.GreaterOrEqual(t, covered, 8, "the patience MLE's 95%% interval covers the true mean in %d of 10 weeks", covered)
	require.GreaterOrEqual(t, km, 8, "the Kaplan–Meier restricted mean is within 30%% of the truth in %d of 10 weeks", km)
}

// TestTraceGivesEscalationsBack recovers the escalation paths, reply
// probabilities and priorities of the tiered SaaS scenario from its trace.
func TestTraceGivesEscalationsBack(t *testing.T) {
	sc := loadBundled(t, "saas-support.toml")
	cal := historyOf(t, sc).Estimate("saas trace")
	type path struct{ cat, from, to string }
	truth := map[path]float64{
		{"configuration", "representative", "specialist"}: 0.20,
		{"bug", "representative", "specialist"}:           0.33,
		{"bug", "specialist", "tse"}:                      0.40,
	}
	require.Len(t, cal.Escalation, len(truth))
	for _, e := range cal.Escalation {
		p, ok := truth[path{e.Category, e.From, e.To}]
		require.True(t, ok, "unexpected path %+v", e)
		within(t, e.Category+" "+e.From+"→"+e.To, e.P, e.PCI95, p)
	}
	require.Empty(t, cal.Returns)
	for _, cat := range sc.Categories {
		e := categoryOf(cal, cat.Name)
		within(t, cat.Name+" share", e.Share, e.ShareCI95, cat.Share)
		within(t, cat.Name+" handle-time mean", e.HandleTime.Mean, e.HandleTime.MeanCI95, cat.HandleTime.Mean.Seconds())
	}
	// Replies on categories that never escalate: in the engine a pending
	// escalation step takes the place of the reply draw, so only these
	// give the scenario's p back as written.
	for _, name := range []string{"how-to", "billing"} {
		i := -1
		for j := range sc.Categories {
			if sc.Categories[j].Name == name {
				i = j
			}
		}
		r := categoryOf(cal, name).Reply
		require.NotNil(t, r)
		within(t, name+" reply p", r.P, r.PCI95, sc.Categories[i].Reply.P)
	}
	var tiers []string
	for _, tr := range cal.Tiers {
		tiers = append(tiers, tr.Name)
	}
	require.Equal(t, []string{"representative", "specialist", "tse"}, tiers, "tiers in escalation order")
}

// TestCalibratedScenarioRuns writes the calibrated scenario, loads it as a
// user would and runs it.
func TestCalibratedScenarioRuns(t *testing.T) {
	sc := loadBundled(t, "saas-support.toml")
	cal := historyOf(t, sc).Estimate("saas trace")
	var b bytes.Buffer
	require.NoError(t, cal.WriteScenario(&b, ScenarioOptions{Replications: 2}))
	got, err := model.Parse("calibrated.toml", b.Bytes())
	require.NoError(t, err, b.String())
	require.Equal(t, sc.Meta.Start.Unix(), got.Meta.Start.Unix())
	require.Equal(t, 7*24*time.Hour, got.Meta.Duration.Duration)
	res, err := sim.Run(got, sim.Options{})
	require.NoError(t, err)
	require.Len(t, res.Channels, 3)
	require.Greater(t, res.Channels[0].Offered.Mean, 0.0)
}
