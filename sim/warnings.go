package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/slasim/slasim/model"
)

// Warnings: what in a scenario or a run is probably a mistake, or limits
// what the figures can say, without being an error. They are worked out
// from the compiled plan, once per run, and travel in Result.Warnings so
// that the summary, the HTML page and the JSON show the same list.

// Warning kinds.
const (
	// WarnUnusedProfile: a [[profile]] no channel names (it has no effect).
	WarnUnusedProfile = "unused_profile"
	// WarnNobodyOnShift: contacts of a live channel arrive at hours when no
	// agent skilled for it is on shift (they can only wait or abandon).
	WarnNobodyOnShift = "nobody_on_shift"
	// WarnEmptyClass: a priority or category gets (almost) no contacts on
	// a channel it covers, so its figures are empty.
	WarnEmptyClass = "empty_class"
	// WarnFewReplications: fewer than 2 replications, so figures carry no
	// confidence interval and no spread.
	WarnFewReplications = "few_replications"
)

// Warning is one finding about a scenario or a run that does not stop it.
type Warning struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Warnings lists the warnings of running sc with its own rota and the
// given number of replications (0: the scenario's), without running it.
func Warnings(sc *model.Scenario, replications int) ([]Warning, error) {
	p, err := compile(sc)
	if err != nil {
		return nil, err
	}
	if replications <= 0 {
		replications = sc.Meta.Replications
	}
	return planWarnings(p, replications), nil
}

// planWarnings checks a compiled plan run with reps replications.
func planWarnings(p *plan, reps int) []Warning {
	ws := []Warning{}
	ws = append(ws, unusedProfiles(p.sc)...)
	ws = append(ws, nobodyOnShift(p)...)
	ws = append(ws, emptyClasses(p)...)
	if reps < 2 {
		ws = append(ws, Warning{WarnFewReplications, fmt.Sprintf(
			"%d replication: the figures have no confidence interval (shown as ± n/a) and no P10–P90 spread; run 2 or more (30 for decisions)", reps)})
	}
	return ws
}

func unusedProfiles(sc *model.Scenario) []Warning {
	used := map[string]bool{}
	for _, c := range sc.Channels {
		used[c.Profile] = true
	}
	var ws []Warning
	for _, pr := range sc.Profiles {
		if !used[pr.Name] {
			ws = append(ws, Warning{WarnUnusedProfile, fmt.Sprintf(
				"profile %q is not named by any channel (profile = %q), so it has no effect: a channel without a profile gets a flat rate, 24/7", pr.Name, pr.Name)})
		}
	}
	return ws
}

// nobodyOnShift finds, per live channel, the spans of the period with
// arrivals and no skilled agent on shift.
func nobodyOnShift(p *plan) []Warning {
	rates := planRates(p)
	var ws []Warning
	for c := range p.channels {
		ch := &p.channels[c]
		var cover []window
		for _, sp := range p.shifts {
			if sp.headcount > 0 && p.tiers[sp.tier].skilled[c] {
				cover = append(cover, sp.instances...)
			}
		}
		if !ch.live && len(cover) > 0 {
			continue // deferred work waits for the next shift
		}
		gaps := uncovered(cover, 0, p.end)
		var spans []string
		var total, hours float64
		for _, g := range gaps {
			n := rates.Expected(c, g.a, g.b)
			if n < 0.5 {
				continue
			}
			total += n
			hours += (g.b - g.a) / 3600
			spans = append(spans, p.spanText(g))
		}
		if total < 1 {
			continue
		}
		if len(spans) > 4 {
			spans = append(spans[:4], fmt.Sprintf("and %d more", len(spans)-4))
		}
		ws = append(ws, Warning{WarnNobodyOnShift, fmt.Sprintf(
			"channel %q: about %.0f contacts arrive when no agent skilled for it is on shift (%.0fh in all: %s)",
			ch.name, total, hours, strings.Join(spans, ", "))})
	}
	return ws
}

// uncovered returns the parts of [a, b) outside every window.
func uncovered(ws []window, a, b float64) []window {
	ws = append([]window(nil), ws...)
	sort.Slice(ws, func(i, j int) bool { return ws[i].a < ws[j].a })
	var out []window
	at := a
	for _, w := range ws {
		if w.a > at {
			out = append(out, window{at, math.Min(w.a, b)})
		}
		at = math.Max(at, w.b)
		if at >= b {
			return out
		}
	}
	if at < b {
		out = append(out, window{at, b})
	}
	return out
}

// spanText writes a span of the period in the scenario's time zone:
// "Mon 23 Nov 00:00–06:00" (the end's day is named when it differs).
func (p *plan) spanText(w window) string {
	at := func(s float64) time.Time {
		return p.start.Add(time.Duration(s * float64(time.Second))).In(p.sc.Location)
	}
	a, b := at(w.a), at(w.b)
	if a.YearDay() == b.YearDay() || (b.Hour() == 0 && b.Minute() == 0 && b.Sub(a) <= 24*time.Hour) {
		return a.Format("Mon 2 Jan 15:04") + "–" + b.Format("15:04")
	}
	return a.Format("Mon 2 Jan 15:04") + "–" + b.Format("Mon 2 Jan 15:04")
}

// emptyClasses finds priorities and categories with (almost) no contacts
// on a channel they cover: fewer than one expected in the period.
func emptyClasses(p *plan) []Warning {
	sc := p.sc
	rates := planRates(p)
	var ws []Warning
	for c := range p.channels {
		ch := &p.channels[c]
		all := rates.Expected(c, 0, p.end)
		check := func(kind, name string, share float64) {
			if n := share * all; n < 1 {
				ws = append(ws, Warning{WarnEmptyClass, fmt.Sprintf(
					"%s %q on channel %q: share %g leaves it about %.1f contacts in the period, so its figures are empty", kind, name, ch.name, share, n)})
			}
		}
		for _, pr := range sc.Priorities {
			if model.Covers(pr.Channels, ch.name) {
				check("priority", pr.Name, pr.Share)
			}
		}
		for _, cat := range sc.Categories {
			if model.Covers(cat.Channels, ch.name) {
				check("category", cat.Name, cat.Share)
			}
		}
	}
	return ws
}
