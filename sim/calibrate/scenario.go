package calibrate

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// ScenarioOptions are the choices a calibrated scenario needs that the
// history does not hold.
type ScenarioOptions struct {
	// Name of the scenario.
	Name string
	// Start and Days place the scenario; zero means the history's period.
	Start time.Time
	Days  int
	// Rates, if set, replaces each channel's rate per hour (a forecast).
	Rates map[string]float64
	// ForecastCV, if set, replaces each channel's forecast_cv.
	ForecastCV map[string]float64
	// WeeklyRota writes the rota of the history's last week as weekly
	// shifts (days = "mon,tue"), for a period outside the history.
	WeeklyRota bool
	// Surges are peak days of a forecast.
	Surges []Surge
	// Empirical, if set, gives each category's handle time as its observed
	// durations: dist = "empirical" with the file EmpiricalFile names,
	// which WriteEmpirical writes beside the scenario.
	Empirical bool
	// FileBase starts the empirical files' names (default "calibrated").
	FileBase string
	// Seed and Replications of the runs (defaults 1 and 10).
	Seed         uint64
	Replications int
}

// WriteScenario writes the calibration as a scenario TOML that model.Load
// accepts, every number commented with where it came from and its 95%
// interval.
func (cal *Calibration) WriteScenario(w io.Writer, o ScenarioOptions) error {
	if o.Start.IsZero() {
		o.Start = cal.Start
	}
	if o.Days == 0 {
		o.Days = cal.Days
	}
	if o.Replications == 0 {
		o.Replications = 10
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Name == "" {
		o.Name = "Calibrated from " + cal.Source
	}
	b := &strings.Builder{}
	fmt.Fprintf(b, "# Calibrated by slasim calibrate from %s: %d tickets over %d days from %s.\n", cal.Source, cal.Tickets, cal.Days, cal.Start.Format("2006-01-02"))
	fmt.Fprintf(b, "# Every number below says where it came from; ± is a 95%% interval.\n")
	for _, wn := range cal.Warnings {
		fmt.Fprintf(b, "# warning: %s\n", wn)
	}
	fmt.Fprintf(b, "\n[scenario]\nname = %q\nstart = %s\nduration = \"%dd\"\ninterval = %q\nwarmup = \"2h\"\nseed = %d\nreplications = %d\n",
		o.Name, o.Start.Format(time.RFC3339), o.Days, cal.Interval, o.Seed, o.Replications)
	if z := o.Start.Location().String(); z != "" && z != "Local" && !strings.HasPrefix(z, "UTC") {
		fmt.Fprintf(b, "timezone = %q\n", z)
	}
	for _, c := range cal.Channels {
		writeChannel(b, c, o)
	}
	for _, s := range o.Surges {
		fmt.Fprintf(b, "\n# the same weekday a year before stood out of its weeks by this factor\n[[surge]]\nname = %q\nfrom = %s\nto = %s\nfactor = %.3g\nchannels = %s\n",
			s.Name, s.From.Format(time.RFC3339), s.To.Format(time.RFC3339), s.Factor, quoted(s.Channels))
	}
	cats := append([]CategoryEstimate(nil), cal.Categories...)
	roundShares(len(cats), func(i int) *float64 { return &cats[i].Share }, func(i int) string { return strings.Join(cats[i].Channels, ",") })
	for _, c := range cats {
		writeCategory(b, c, cal, o)
	}
	writePriorities(b, cal)
	writeTiers(b, cal, o.WeeklyRota)
	_, err := io.WriteString(w, b.String())
	return err
}

// Surge is a peak day of a forecast: the volume of some channels
// multiplied by Factor from From to To.
type Surge struct {
	Name     string
	From, To time.Time
	Factor   float64
	Channels []string
}

func rate(perHour float64) string { return fmt.Sprintf("%.4g/h", perHour) }

func dur(sec float64) string {
	if sec <= 0 || math.IsNaN(sec) || math.IsInf(sec, 0) {
		return "1s"
	}
	d := time.Duration(math.Round(sec)) * time.Second
	if d == 0 {
		d = time.Second
	}
	return fmtDur(d)
}

func floats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.3g", x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func writeChannel(b *strings.Builder, c ChannelEstimate, o ScenarioOptions) {
	fmt.Fprintf(b, "\n[[profile]]\nname = %q\n# contacts per interval of the day over all days, scaled to mean 1\nintraday = %s\n# Monday..Sunday: mean contacts per such day ÷ mean per day\nweekly = %s\n",
		c.Name+"-profile", floats(c.Intraday), floats(c.Weekly))
	fmt.Fprintf(b, "\n[[channel]]\nname = %q\nmode = %q  # %s\n", c.Name, c.Mode, c.ModeSource)
	if r, ok := o.Rates[c.Name]; ok {
		fmt.Fprintf(b, "rate = %q  # forecast (history: %s ± %.3g, %d contacts)\n", rate(r), rate(c.RatePerHour), c.RateCI95, c.Contacts)
	} else {
		fmt.Fprintf(b, "rate = %q  # %d contacts ÷ %d days; ± %.3g/h\n", rate(c.RatePerHour), c.Contacts, len(c.Daily), c.RateCI95)
	}
	fmt.Fprintf(b, "profile = %q\n", c.Name+"-profile")
	cv := c.ForecastCV
	if v, ok := o.ForecastCV[c.Name]; ok {
		cv = v
	}
	fmt.Fprintf(b, "forecast_cv = %.3g  # day-to-day variation beyond the weekly pattern and Poisson noise\n", math.Min(cv, 2))
	if p := c.Patience; p != nil && p.Abandons > 0 {
		fmt.Fprintf(b, "# patience: exponential MLE with answered waits censored = total wait of all %d contacts ÷ %d abandons (95%% %s..%s);\n# Kaplan–Meier median %s, restricted mean %s; the naive mean of abandoned waits (%s) is biased low\n",
			p.Abandons+p.Censored, p.Abandons, dur(p.MeanLow), dur(p.MeanHigh), dur(p.KMMedian), dur(p.KMRestrictedMean), dur(p.NaiveMean))
		fmt.Fprintf(b, "patience = { dist = \"exponential\", mean = %q }\n", dur(p.MeanMLE))
	} else if c.Patience != nil {
		fmt.Fprintf(b, "# no abandonment in the history: no patience (nobody abandons)\n")
	}
	target := 0.8
	if c.Mode == "deferred" {
		target = 0.9
	}
	fmt.Fprintf(b, "# not in the history: the SLA below is the threshold the observed service level used (%.0f%% within it)\n", 100*c.Observed.ServiceLevel())
	fmt.Fprintf(b, "sla = { target = %g, within = %q }\n", target, dur(c.WithinSeconds))
}

func distLine(d Durations) string { return scaledDistLine(d, 1) }

// scaledDistLine writes the best fit with its mean divided by factor: an
// escalation's handle time at a tier whose handle_factor the engine
// applies on top.
func scaledDistLine(d Durations, factor float64) string {
	f := d.Best
	return fmt.Sprintf("{ dist = %q, mean = %q, cv = %.3g }", f.Dist, dur(f.Mean/factor), math.Max(0.01, f.CV))
}

func distComment(d Durations) string {
	return fmt.Sprintf("%d handlings, mean %s ± %s; lognormal KS %.3f, gamma KS %.3f", d.N, dur(d.Mean), dur(d.MeanCI95), d.LogNormal.KS, d.Gamma.KS)
}

func writeCategory(b *strings.Builder, c CategoryEstimate, cal *Calibration, o ScenarioOptions) {
	fmt.Fprintf(b, "\n[[category]]\nname = %q\nshare = %.6f  # %d tickets; ± %.3g\n", c.Name, c.Share, c.Count, c.ShareCI95)
	if len(c.Channels) > 0 {
		fmt.Fprintf(b, "channels = %s\n", quoted(c.Channels))
	}
	ht, at := cal.baseHandle(c)
	if ht.N == 0 {
		fmt.Fprintf(b, "# no handling seen: a placeholder handle time\nhandle_time = { dist = \"exponential\", mean = \"5m\" }\n")
	} else if o.Empirical {
		fmt.Fprintf(b, "# %s (%s); the observed durations (%d of them) rather than a fit\nhandle_time = { dist = \"empirical\", file = %q }\n",
			distComment(ht), at, len(ht.Sample), EmpiricalFile(o.FileBase, c.Name))
	} else {
		fmt.Fprintf(b, "# %s (%s)\nhandle_time = %s\n", distComment(ht), at, distLine(ht))
	}
	if d := c.Deflect; d != nil {
		fmt.Fprintf(b, "deflect = { rate = %.3g, bot_time = %q, fallback = %.3g, channels = %s }\n", d.Rate, dur(d.BotSeconds), d.Fallback, quoted(d.Channels))
	}
	var steps []string
	for _, e := range cal.stepsOf(c) {
		fmt.Fprintf(b, "# escalation %s → %s: %d of %d tickets handled at %s (± %.3g); at %s: %s\n", e.From, e.To, e.Escalated, e.Handled, e.From, e.PCI95, e.To, distComment(e.HandleTime))
		s := fmt.Sprintf("{ from = %q, to = %q, p = %.4g", e.From, e.To, e.P)
		switch {
		case e.HandleTime.N > 0 && o.Empirical:
			s += fmt.Sprintf(", handle_time = { dist = \"empirical\", file = %q }", EmpiricalStepFile(o.FileBase, c.Name, e.To))
		case e.HandleTime.N > 0:
			s += ", handle_time = " + scaledDistLine(e.HandleTime, cal.effectiveFactor(e.To, c.Name))
		}
		steps = append(steps, s+" }")
	}
	if len(steps) > 0 {
		fmt.Fprintf(b, "escalate = [\n  %s,\n]\n", strings.Join(steps, ",\n  "))
	}
	if r := c.Reply; r != nil && r.P < 1 {
		fmt.Fprintf(b, "# customer replies: %d of %d agent replies not escalated (± %.3g); pending time: exponential MLE, %d still pending at the end censored\n",
			r.Replies, r.Replies+r.Resolutions, r.PCI95, r.StillAway)
		fmt.Fprintf(b, "reply = { p = %.4g, after = { dist = \"exponential\", mean = %q } }\n", r.P, dur(r.MeanSeconds))
	}
}

func quoted(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// roundShares rounds shares to six decimals so that each group's (the
// items with the same key) still sum to exactly one: the remainder goes to
// the group's largest share.
func roundShares(n int, share func(int) *float64, key func(int) string) {
	sums, largest := map[string]float64{}, map[string]int{}
	for i := 0; i < n; i++ {
		p := share(i)
		*p = math.Round(*p*1e6) / 1e6
		k := key(i)
		sums[k] += *p
		if j, ok := largest[k]; !ok || *share(j) < *p {
			largest[k] = i
		}
	}
	for k, i := range largest {
		*share(i) += 1 - sums[k]
	}
}

func writePriorities(b *strings.Builder, cal *Calibration) {
	prios := append([]PriorityEstimate(nil), cal.Priorities...)
	roundShares(len(prios), func(i int) *float64 { return &prios[i].Share }, func(int) string { return "" })
	for _, p := range prios {
		fmt.Fprintf(b, "\n[[priority]]\nname = %q\nshare = %.6f\nchannels = %s\n", p.Name, p.Share, quoted(p.Channels))
	}
}

// writeCategoryFactors writes a tier's category_handle_factor: the
// scenario's categories whose own factor at the tier differs from its
// handle_factor beyond their interval, each with the figure it came from.
func writeCategoryFactors(b *strings.Builder, cal *Calibration, t TierEstimate) {
	var parts []string
	for _, c := range cal.Categories {
		f := cal.categoryFactorOf(t.Name, c.Name)
		if f == 1 {
			continue
		}
		base := strings.SplitN(c.Name, "@", 2)[0]
		for _, ch := range t.CategoryHandle {
			if ch.Category == base {
				fmt.Fprintf(b, "# %s: %d first-hand handlings took %.3g× (± %.3g) the entry tier's time\n", c.Name, ch.N, ch.Factor, ch.CI95)
			}
		}
		parts = append(parts, fmt.Sprintf("%q = %.3g", c.Name, f))
	}
	if len(parts) > 0 {
		fmt.Fprintf(b, "category_handle_factor = { %s }  # on top of handle_factor\n", strings.Join(parts, ", "))
	}
}

// writeReserve writes a blended tier's deferred_share with the evidence
// for it, or why it is not written, and says that protect_live is not
// measured.
func writeReserve(b *strings.Builder, re *ReserveEstimate) {
	if re == nil {
		return
	}
	switch {
	case re.DeferredShare == nil:
		fmt.Fprintf(b, "# deferred_share not estimated: %s\n", re.Note)
	case *re.DeferredShare < 0.005:
		fmt.Fprintf(b, "# deferred_share 0: in %d choices with live and deferred work both waiting, every one of %d agents took the live contact\n", re.Choices, re.Classified)
	default:
		fmt.Fprintf(b, "# %d of %d agents took deferred work first in %d choices with both waiting (%.0f%% of choices agree);\n", re.Reserved, re.Classified, re.Choices, 100*re.Consistent)
		fmt.Fprintf(b, "# their share of the agents' active time (first to last handling), which leans a little high\ndeferred_share = %.3g\n", math.Min(*re.DeferredShare, 0.95))
	}
	fmt.Fprintf(b, "# protect_live is not in a ticket history (an idle agent leaves no event): set it from your routing rules\n")
}

func writeTiers(b *strings.Builder, cal *Calibration, weekly bool) {
	for _, t := range cal.Tiers {
		fmt.Fprintf(b, "\n[[tier]]\nname = %q  # %d agents seen\nskills = %s  # channels it handled\nband = \"calibrated\"\n", t.Name, t.Agents, quoted(t.Skills))
		if f := cal.factorOf(t.Name); f != 1 {
			fmt.Fprintf(b, "# %d first-hand handlings took %.3g× (± %.3g) the entry tier's time on the same category and channel\nhandle_factor = %.3g\n", t.Handle.N, t.Handle.Factor, t.Handle.CI95, f)
		} else if t.Handle.N > 0 {
			fmt.Fprintf(b, "# %d first-hand handlings took %.3g× (± %.3g) the entry tier's time: no different from it\n", t.Handle.N, t.Handle.Factor, t.Handle.CI95)
		}
		writeCategoryFactors(b, cal, t)
		writeReserve(b, t.Reserve)
		if t.TicketShare > 0 && t.TicketShare < 0.98 {
			fmt.Fprintf(b, "# away (breaks, meetings, coaching) %.0f%% of the agents' active time: without a ticket while tickets waited\nticket_share = %.3f\n", 100*(1-t.TicketShare), t.TicketShare)
		}
		if len(t.Concurrency) > 0 {
			keys := make([]string, 0, len(t.Concurrency))
			for k := range t.Concurrency {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s = %d", k, t.Concurrency[k]))
			}
			fmt.Fprintf(b, "concurrency = { %s }  # the most one agent held at once\n", strings.Join(parts, ", "))
		}
	}
	fmt.Fprintf(b, "\n# Rota: each agent's first and last handling of each day, rounded out to the interval\n# (breaks and idle edges of a shift are not seen in a ticket history).\n")
	if weekly {
		fmt.Fprintf(b, "# The rota of the history's last week, repeated each week.\n")
	}
	lastWeek := cal.Start.AddDate(0, 0, cal.Days-7)
	known := map[string]bool{}
	for _, t := range cal.Tiers {
		known[t.Name] = true
	}
	for i, s := range cal.Shifts {
		if !known[s.Tier] {
			continue // agents of a tier that never finished a handling
		}
		var ds []string
		for _, d := range s.Dates {
			switch {
			case !weekly:
				ds = append(ds, d.Format("2006-01-02"))
			case !d.Before(lastWeek):
				ds = append(ds, strings.ToLower(d.Weekday().String()[:3]))
			}
		}
		if len(ds) == 0 {
			continue
		}
		days := "dates = [" + strings.Join(ds, ", ") + "]"
		if weekly {
			days = fmt.Sprintf("days = %q", strings.Join(ds, ","))
		}
		fmt.Fprintf(b, "\n[[shift]]\nname = \"%s-%d\"\ntier = %q\n%s\nstart = %q\nlength = %q\nheadcount = %d\n",
			s.Tier, i+1, s.Tier, days, s.Start, s.Length, s.Headcount)
	}
	fmt.Fprintf(b, "\n# not in the history: pay. One placeholder band so the scenario runs; costs are not calibrated.\n[[band]]\nname = \"calibrated\"\nannual = [50000]\nbenefits = 0.3\n")
}
