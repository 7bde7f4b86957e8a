package calibrate

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// categoryEstimates groups the channels by the set of categories they
// carry (shares must sum to one on each channel) and estimates each
// category's share within its group.
func (h *History) categoryEstimates(entry int) []CategoryEstimate {
	groups := map[string][]int{}
	var keys []string
	for ci := range h.channels {
		var set []string
		for cat := range h.cats.list {
			if h.catCh[[2]int{cat, ci}] > 0 {
				set = append(set, fmt.Sprint(cat))
			}
		}
		k := strings.Join(set, ",")
		if _, ok := groups[k]; !ok && k != "" {
			keys = append(keys, k)
		}
		if k != "" {
			groups[k] = append(groups[k], ci)
		}
	}
	inGroups := map[int]int{}
	for _, k := range keys {
		for _, c := range strings.Split(k, ",") {
			var cat int
			fmt.Sscan(c, &cat)
			inGroups[cat]++
		}
	}
	var out []CategoryEstimate
	for _, k := range keys {
		chs := groups[k]
		total := 0
		for cat := range h.cats.list {
			for _, ci := range chs {
				total += h.catCh[[2]int{cat, ci}]
			}
		}
		for _, c := range strings.Split(k, ",") {
			var cat int
			fmt.Sscan(c, &cat)
			out = append(out, h.categoryEstimate(cat, chs, total, entry, len(keys) > 1, inGroups[cat] > 1))
		}
	}
	return out
}

func (h *History) categoryEstimate(cat int, chs []int, total, entry int, listChannels, rename bool) CategoryEstimate {
	n := 0
	var names []string
	for _, ci := range chs {
		n += h.catCh[[2]int{cat, ci}]
		names = append(names, h.channels[ci].name)
	}
	p, ci := binomialCI(n, total)
	e := CategoryEstimate{Name: h.cats.list[cat], Count: n, Share: p, ShareCI95: ci,
		HandleTime: h.merged(cat, -1, false).durations()}
	if listChannels {
		e.Channels = names
	}
	if rename {
		e.Name += "@" + names[0]
	}
	keys := make([]handleKey, 0)
	for k := range h.handle {
		if k.cat == cat {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a.ch < b.ch || a.ch == b.ch && (a.tier < b.tier || a.tier == b.tier && !a.escalated && b.escalated)
	})
	for _, k := range keys {
		if !k.escalated && k.tier != entry && e.EntryHandleTime == nil {
			d := h.merged(cat, entry, false).durations()
			e.EntryHandleTime = &d
		}
		e.Cells = append(e.Cells, HandleCell{Channel: h.channels[k.ch].name, Tier: h.tiers.list[k.tier], Escalated: k.escalated, Durations: h.handle[k].durations()})
	}
	var created, defl, fb, botN int
	var botSum float64
	var dch []string
	for _, ci := range chs {
		d := h.deflect[[2]int{cat, ci}]
		if d == nil || d.deflected == 0 {
			continue
		}
		dch = append(dch, h.channels[ci].name)
		created += h.catCh[[2]int{cat, ci}]
		defl, fb, botN, botSum = defl+d.deflected, fb+d.fallback, botN+d.botN, botSum+d.botSum
	}
	if defl > 0 {
		e.Deflect = &DeflectEstimate{Rate: float64(defl) / float64(created), Fallback: float64(fb) / float64(defl), Channels: dch}
		if botN > 0 {
			e.Deflect.BotSeconds = botSum / float64(botN)
		}
	}
	if r := h.reply[cat]; r != nil && r.replies > 0 {
		p, ci := binomialCI(r.replies, r.replies+r.resolves)
		e.Reply = &ReplyEstimate{Replies: r.replies, Resolutions: r.resolves, P: p, PCI95: ci,
			MeanSeconds: (r.delaySum + r.censoredSum) / float64(r.replies), StillAway: r.awayOpen}
	}
	return e
}

// priorityEstimates gives the shares of the named priorities on the
// channels where more than the default one appears.
func (h *History) priorityEstimates() []PriorityEstimate {
	var chs []int
	single := map[int]bool{} // priorities that are a channel's only one
	for ci := range h.channels {
		var seen []int
		for pi := range h.prios.list {
			if h.prioCh[[2]int{pi, ci}] > 0 {
				seen = append(seen, pi)
			}
		}
		if len(seen) > 1 {
			chs = append(chs, ci)
		} else if len(seen) == 1 {
			single[seen[0]] = true
		}
	}
	if len(chs) == 0 {
		return nil
	}
	total := 0
	counts := make([]int, len(h.prios.list))
	for _, ci := range chs {
		for pi := range h.prios.list {
			counts[pi] += h.prioCh[[2]int{pi, ci}]
			total += h.prioCh[[2]int{pi, ci}]
		}
	}
	var names []string
	for _, ci := range chs {
		names = append(names, h.channels[ci].name)
	}
	var out, last []PriorityEstimate
	for pi, p := range h.prios.list {
		if counts[pi] == 0 {
			continue
		}
		name := p
		if name == "" {
			name = "unnamed"
		}
		e := PriorityEstimate{Name: name, Share: float64(counts[pi]) / float64(total), Channels: names}
		if single[pi] {
			// A channel with one priority gets the scenario's last class.
			last = append(last, e)
			continue
		}
		out = append(out, e)
	}
	return append(out, last...)
}

// shiftEstimates turns each agent's first and last activity of each day
// into rota lines, grouping agents of a tier with the same hours and days.
func (h *History) shiftEstimates() []ShiftEstimate {
	type line struct {
		tier          int
		start, length int // seconds
	}
	iv := int(h.cfg.Interval.Seconds())
	perDay := map[line]map[int]int{}
	for k, s := range h.spans {
		dayStart := h.start + float64(k[1])*86400
		st := int(s.first-dayStart) / iv * iv
		end := (int(math.Ceil(s.last-dayStart)) + iv - 1) / iv * iv
		l := line{h.agentTier[k[0]], st, max(end-st, iv)}
		if perDay[l] == nil {
			perDay[l] = map[int]int{}
		}
		perDay[l][k[1]]++
	}
	type group struct {
		line
		n int
	}
	dates := map[group][]int{}
	for l, days := range perDay {
		for d, n := range days {
			g := group{l, n}
			dates[g] = append(dates[g], d)
		}
	}
	var out []ShiftEstimate
	start := h.Start()
	for g, ds := range dates {
		sort.Ints(ds)
		se := ShiftEstimate{Tier: h.tiers.list[g.tier], Start: fmt.Sprintf("%02d:%02d", g.start/3600, g.start%3600/60),
			Length: fmtDur(time.Duration(g.length) * time.Second), Headcount: g.n}
		for _, d := range ds {
			se.Dates = append(se.Dates, start.AddDate(0, 0, d))
		}
		out = append(out, se)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Tier != b.Tier {
			return a.Tier < b.Tier
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Length != b.Length {
			return a.Length < b.Length
		}
		if !a.Dates[0].Equal(b.Dates[0]) {
			return a.Dates[0].Before(b.Dates[0])
		}
		return a.Headcount < b.Headcount
	})
	return out
}

// warnings says what the history cannot tell, or tells only with care.
func (h *History) warnings(cal *Calibration) []string {
	var w []string
	if h.cfg.utcAssumed {
		w = append(w, "no time zone given (--timezone): the weekly and intraday profiles are on the UTC clock")
	}
	if n := h.Issues.Counts[NoCreated]; n > 0 {
		w = append(w, fmt.Sprintf("%d events belong to tickets created before the history began (or after their end): the history is an extraction window; those tickets are left out", n))
	}
	if n := h.Issues.Counts[NoEnd]; n > 0 {
		w = append(w, fmt.Sprintf("%d tickets are still open at the end of the history: their waits are censored, not dropped", n))
	}
	if cal.Days < 14 {
		w = append(w, fmt.Sprintf("%d days of history: forecast_cv (day-to-day variation beyond the weekly pattern) needs two weeks; set to 0", cal.Days))
	}
	for _, c := range cal.Channels {
		if ratio := weekOverWeek(c.Daily); ratio != 0 && math.Abs(ratio-1) > 0.2 {
			w = append(w, fmt.Sprintf("channel %q: the last week has %.0f%% of the first week's volume; over %d days this may be an artefact of the extraction window, so it is reported, not fitted as a trend", c.Name, 100*ratio, cal.Days))
		}
		if c.Mode == "deferred" && c.Patience == nil && h.channels[h.chIdx[c.Name]].patience.abandons > 0 {
			w = append(w, fmt.Sprintf("channel %q is deferred (%s) but has abandonments: give its mode", c.Name, c.ModeSource))
		}
		if c.Mode != "concurrent" && c.Concurrency > 1 {
			w = append(w, fmt.Sprintf("channel %q (%s, %s) had agents holding %d contacts at once: is it concurrent?", c.Name, c.Mode, c.ModeSource, c.Concurrency))
		}
	}
	for _, r := range cal.Returns {
		w = append(w, fmt.Sprintf("category %q: %d tickets went back down from %s to %s (p %.3f); a scenario's escalation only goes up, so returns are not modelled", r.Category, r.Escalated, r.From, r.To, r.P))
	}
	return w
}

// weekOverWeek is the volume of the last whole week over the first's (0
// with under two weeks).
func weekOverWeek(daily []float64) float64 {
	if len(daily) < 14 {
		return 0
	}
	var a, b float64
	for i := 0; i < 7; i++ {
		a += daily[i]
		b += daily[len(daily)-7+i]
	}
	if a == 0 {
		return 0
	}
	return b / a
}
