package sim

import (
	"math"
	"sort"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Stat is a figure estimated over replications: its mean and the
// half-width of its 95% confidence interval (Student's t). For a
// whole-period figure, Samples holds the value of each replication, in
// replication order, for percentiles and paired comparisons; replications
// where the figure is undefined (a service level with no contacts offered)
// are left out. Interval figures are folded into running sums as
// replications finish and keep no samples.
type Stat struct {
	Mean    float64   `json:"mean"`
	CI95    float64   `json:"ci95"`
	Samples []float64 `json:"-"`
}

// NewStat summarises per-replication values; NaN values (undefined in that
// replication) are left out. With fewer than two values CI95 is 0.
func NewStat(values []float64) Stat {
	var xs []float64
	for _, v := range values {
		if !math.IsNaN(v) {
			xs = append(xs, v)
		}
	}
	s := Stat{Samples: xs}
	switch len(xs) {
	case 0:
		return s
	case 1:
		s.Mean = xs[0]
		return s
	}
	mean, sd := stat.MeanStdDev(xs, nil)
	s.Mean = mean
	s.CI95 = TQuantile975(len(xs)-1) * sd / math.Sqrt(float64(len(xs)))
	return s
}

// Percentile returns the q-quantile (0..1) of the replication values,
// interpolating between order statistics; 0 when there are none.
func (s Stat) Percentile(q float64) float64 {
	if len(s.Samples) == 0 {
		return 0
	}
	xs := append([]float64(nil), s.Samples...)
	sort.Float64s(xs)
	return stat.Quantile(q, stat.LinInterp, xs, nil)
}

// TQuantile975 is the 97.5% quantile of Student's t with df degrees of
// freedom, the multiplier of a two-sided 95% confidence interval.
func TQuantile975(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// Result is what a run of a scenario found, over all its replications.
// Times are in seconds; money in the bands' currency. Its JSON form is the
// result contract of DESIGN.md.
type Result struct {
	Scenario     string    `json:"scenario"`
	Seed         uint64    `json:"seed"`
	Replications int       `json:"replications"`
	Start        time.Time `json:"start"`
	// DurationSeconds and IntervalSeconds describe the reported period.
	DurationSeconds float64 `json:"duration_seconds"`
	IntervalSeconds float64 `json:"interval_seconds"`
	WarmupSeconds   float64 `json:"warmup_seconds"`
	// QueueBound is the most contacts a channel may hold waiting (live) or
	// open (deferred); arrivals past it are turned away. Set only when a
	// channel reached it (see ChannelResult.QueueBoundHit).
	QueueBound int `json:"queue_bound,omitempty"`

	Channels []ChannelResult `json:"channels"`
	// Priorities holds one entry per (channel, priority) pair that has
	// contacts, when the scenario defines priorities.
	Priorities []PriorityResult `json:"priorities,omitempty"`
	Tiers      []TierResult     `json:"tiers"`
	Bands      []BandResult     `json:"bands"`
	Cost       CostResult       `json:"cost"`
	Intervals  []IntervalResult `json:"intervals"`
	// TierIntervals holds staffed and busy agents per tier and interval.
	TierIntervals []TierIntervalResult `json:"tier_intervals"`
	// Tail holds, per channel, the contacts still open at the end of the
	// period (see TailResult).
	Tail []TailResult `json:"tail"`
	// Warnings lists what in the scenario or the run is probably a mistake
	// or limits the figures (see Warning); empty when there is nothing.
	Warnings []Warning `json:"warnings"`
}

// ChannelResult is one channel over the whole period.
type ChannelResult struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
	// Target and WithinSeconds are the channel's SLA.
	Target        float64 `json:"target"`
	WithinSeconds float64 `json:"within_seconds"`
	Clock         string  `json:"clock"`

	// Arrivals is every contact created; Deflected those taken by
	// automation, Fallback the deflected ones that still reached a human;
	// Offered the contacts that reached an agent queue (arrivals −
	// deflected + fallback, less those still undecided at the end).
	Arrivals  Stat `json:"arrivals"`
	Deflected Stat `json:"deflected"`
	Fallback  Stat `json:"fallback"`
	Offered   Stat `json:"offered"`
	// Answered: taken by an agent (live), or first-responded (deferred).
	Answered  Stat `json:"answered"`
	Abandoned Stat `json:"abandoned"`
	// ServiceLevel is the share of offered contacts answered within the
	// target time (first response within it, for deferred channels).
	ServiceLevel Stat `json:"service_level"`
	// ServiceLevelP10 and ServiceLevelP90 are the 10th and 90th percentiles
	// of the service level across replications: the spread of outcomes
	// (one period in ten is worse than P10), as opposed to CI95, the
	// uncertainty of the mean. Forecast uncertainty widens it.
	ServiceLevelP10 float64 `json:"service_level_p10"`
	ServiceLevelP90 float64 `json:"service_level_p90"`
	// PWait is the share of offered contacts that did not reach an agent at
	// once.
	PWait Stat `json:"p_wait"`
	// ASASeconds is the mean wait of answered contacts; for deferred
	// channels, the mean first-response time.
	ASASeconds  Stat `json:"asa_seconds"`
	AbandonRate Stat `json:"abandon_rate"`
	// MaxQueue is the largest number of contacts waiting at once; MaxQueueAt
	// the start of the interval (seconds since start) where it was largest
	// in the most replications' mean.
	MaxQueue   Stat    `json:"max_queue"`
	MaxQueueAt float64 `json:"max_queue_at_seconds"`
	// ResolutionSeconds is the mean time from creation to resolution of the
	// tickets resolved in the period, across escalations.
	ResolutionSeconds Stat `json:"resolution_seconds"`
	// BacklogEnd is the open deferred tickets at the end of the period.
	BacklogEnd Stat `json:"backlog_end"`
	// QueueBoundHit is the replications in which the channel reached the
	// queue bound (Result.QueueBound), and TurnedAway the mean arrivals per
	// replication refused there; both absent when it was never reached.
	QueueBoundHit int     `json:"queue_bound_hit,omitempty"`
	TurnedAway    float64 `json:"turned_away,omitempty"`
}

// PriorityResult is one priority class on one channel.
type PriorityResult struct {
	Channel       string  `json:"channel"`
	Priority      string  `json:"priority"`
	Target        float64 `json:"target"`
	WithinSeconds float64 `json:"within_seconds"`
	Offered       Stat    `json:"offered"`
	ServiceLevel  Stat    `json:"service_level"`
	ASASeconds    Stat    `json:"asa_seconds"`
	AbandonRate   Stat    `json:"abandon_rate"`
}

// TierResult is one tier of agents over the whole period.
type TierResult struct {
	Name string `json:"name"`
	Band string `json:"band,omitempty"`
	// Handled counts completed handlings; Escalated the tickets this tier
	// passed to a higher one.
	Handled   Stat `json:"handled"`
	Escalated Stat `json:"escalated"`
	// Occupancy is busy time ÷ available (staffed, not on break) time; a
	// chat agent holding k of N chats counts as k/N busy.
	Occupancy    Stat `json:"occupancy"`
	StaffedHours Stat `json:"staffed_hours"`
	Cost         Stat `json:"cost"`
	// EscalationTarget and EscalationWithinSeconds are the tier's own
	// target (OLA) for taking up escalated tickets, if it has one;
	// EscalationServiceLevel is the share taken up within it, and
	// EscalationWaitSeconds their mean wait.
	EscalationTarget        float64 `json:"escalation_target,omitempty"`
	EscalationWithinSeconds float64 `json:"escalation_within_seconds,omitempty"`
	EscalationServiceLevel  *Stat   `json:"escalation_service_level,omitempty"`
	EscalationWaitSeconds   *Stat   `json:"escalation_wait_seconds,omitempty"`
}

// BandResult is the staff cost of one salary band.
type BandResult struct {
	Name       string  `json:"name"`
	HourlyCost float64 `json:"hourly_cost"`
	Cost       Stat    `json:"cost"`
}

// CostResult sums up what the period costs.
type CostResult struct {
	Staff      Stat `json:"staff"`
	Automation Stat `json:"automation"`
	Total      Stat `json:"total"`
	// PerResolved is the total cost ÷ tickets resolved (by agents or
	// automation) in the period.
	PerResolved Stat `json:"per_resolved"`
	// PerChannel splits staff cost by the handle time each channel used,
	// plus its automation cost.
	PerChannel []ChannelCost `json:"per_channel"`
}

// ChannelCost is the cost attributed to one channel.
type ChannelCost struct {
	Channel string `json:"channel"`
	Cost    Stat   `json:"cost"`
}

// IntervalResult is one channel in one interval; contact figures belong to
// the interval in which contacts arrived. Service level and ASA are null
// where no contact was offered in any replication.
type IntervalResult struct {
	Channel string    `json:"channel"`
	Index   int       `json:"index"`
	Start   time.Time `json:"start"`

	Arrivals     Stat  `json:"arrivals"`
	Deflected    Stat  `json:"deflected"`
	Offered      Stat  `json:"offered"`
	Answered     Stat  `json:"answered"`
	Abandoned    Stat  `json:"abandoned"`
	ServiceLevel *Stat `json:"service_level"`
	PWait        *Stat `json:"p_wait"`
	ASASeconds   *Stat `json:"asa_seconds"`
	AbandonRate  *Stat `json:"abandon_rate"`
	// QueueMean is the time-average number waiting; MaxQueue the most.
	QueueMean Stat `json:"queue_mean"`
	MaxQueue  Stat `json:"max_queue"`
	// Backlog is the open deferred tickets at the interval's end.
	Backlog Stat `json:"backlog"`
	// Cost is the channel's share of the interval's cost: each tier's staff
	// cost in the interval split by the handle time its agents started on
	// each channel (by the whole period's split when they started none),
	// plus the automation cost of the interval's deflected contacts.
	Cost Stat `json:"cost"`

	// within, abandoned and offered sum the interval's contacts over
	// replications, for the pooled ratios.
	within, abandoned, offered float64
}

// PooledServiceLevel is the interval's service level pooled over
// replications: contacts answered within target ÷ contacts offered in all
// of them; NaN when none were offered.
func (x *IntervalResult) PooledServiceLevel() float64 { return ratio(x.within, x.offered) }

// PooledAbandonRate is the interval's abandonment pooled over
// replications; NaN when no contact was offered.
func (x *IntervalResult) PooledAbandonRate() float64 { return ratio(x.abandoned, x.offered) }

// TierIntervalResult is one tier in one interval: time-average agents on
// shift (staffed), available (staffed, not on break) and busy, and cost.
type TierIntervalResult struct {
	Tier      string    `json:"tier"`
	Index     int       `json:"index"`
	Start     time.Time `json:"start"`
	Staffed   Stat      `json:"staffed"`
	Available Stat      `json:"available"`
	Busy      Stat      `json:"busy"`
	Cost      Stat      `json:"cost"`
	// EscalationServiceLevel is the share of the escalations that reached
	// the tier's queue in the interval taken up within the tier's target
	// (null without a target or escalations).
	EscalationServiceLevel *Stat `json:"escalation_service_level,omitempty"`
}
