package sim

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/slasim/slasim/model"
)

// builder writes small scenarios for mechanism tests: a header with test
// defaults (a Monday start in UTC, 1-hour intervals, 2 h warm-up, seed 3,
// 10 replications) and tables added one call each. Extra keys are raw TOML
// lines, so a test shows exactly what it sets.
type builder struct {
	meta   map[string]string
	order  []string
	tables strings.Builder
}

func newScenario(duration string) *builder {
	b := &builder{meta: map[string]string{}}
	b.set("name", `"mechanism"`).set("start", "2026-11-23T00:00:00Z").set("duration", fmt.Sprintf("%q", duration)).
		set("interval", `"1h"`).set("warmup", `"2h"`).set("seed", "3").set("replications", "10")
	return b
}

// set sets a key of the [scenario] table to a TOML value.
func (b *builder) set(key, value string) *builder {
	if _, ok := b.meta[key]; !ok {
		b.order = append(b.order, key)
	}
	b.meta[key] = value
	return b
}

func (b *builder) table(kind, name string, lines ...string) *builder {
	fmt.Fprintf(&b.tables, "\n[[%s]]\nname = %q\n", kind, name)
	for _, l := range lines {
		b.tables.WriteString(l + "\n")
	}
	return b
}

// channel adds a channel with its mode, rate and SLA; more keys as lines.
func (b *builder) channel(name, mode, rate, sla string, lines ...string) *builder {
	return b.table("channel", name, append([]string{
		fmt.Sprintf("mode = %q", mode), fmt.Sprintf("rate = %q", rate), "sla = " + sla}, lines...)...)
}

// category adds a category with a share and a handle time.
func (b *builder) category(name string, share float64, handle string, lines ...string) *builder {
	return b.table("category", name, append([]string{fmt.Sprintf("share = %g", share), "handle_time = " + handle}, lines...)...)
}

// tier adds a tier with its skills.
func (b *builder) tier(name string, skills []string, lines ...string) *builder {
	q := make([]string, len(skills))
	for i, s := range skills {
		q[i] = fmt.Sprintf("%q", s)
	}
	return b.table("tier", name, append([]string{"skills = [" + strings.Join(q, ", ") + "]"}, lines...)...)
}

// shift adds a daily rota line for a tier.
func (b *builder) shift(tier, start, length string, headcount int, lines ...string) *builder {
	return b.shiftOn(tier, `days = "daily"`, start, length, headcount, lines...)
}

// shiftOn adds a rota line that runs on the days a TOML line names:
// `days = "mon-fri"` or `dates = [2026-11-24]`. The line is named
// tier-start, so a tier's lines need distinct start times.
func (b *builder) shiftOn(tier, when, start, length string, headcount int, lines ...string) *builder {
	return b.table("shift", fmt.Sprintf("%s-%s", tier, start), append([]string{
		fmt.Sprintf("tier = %q", tier), when, fmt.Sprintf("start = %q", start),
		fmt.Sprintf("length = %q", length), fmt.Sprintf("headcount = %d", headcount)}, lines...)...)
}

// team adds a tier with its skills and a 24-hour daily shift of agents.
func (b *builder) team(tier string, skills []string, agents int, lines ...string) *builder {
	return b.tier(tier, skills, lines...).shift(tier, "00:00", "24h", agents)
}

// email adds the deferred channel "email" with its rate and SLA.
func (b *builder) email(rate, target string, lines ...string) *builder {
	return b.channel("email", "deferred", rate, target, lines...)
}

// priority adds a priority class with its share of contacts.
func (b *builder) priority(name string, share float64, lines ...string) *builder {
	return b.table("priority", name, append([]string{fmt.Sprintf("share = %g", share)}, lines...)...)
}

// surge adds a surge multiplying arrivals by factor from one instant to
// another (TOML datetimes).
func (b *builder) surge(name, from, to string, factor float64, lines ...string) *builder {
	return b.table("surge", name, append([]string{"from = " + from, "to = " + to, fmt.Sprintf("factor = %g", factor)}, lines...)...)
}

// raw appends TOML as it is (a [business_hours] table, a profile…).
func (b *builder) raw(toml string) *builder {
	b.tables.WriteString("\n" + toml + "\n")
	return b
}

func (b *builder) String() string {
	var s strings.Builder
	s.WriteString("[scenario]\n")
	for _, k := range b.order {
		fmt.Fprintf(&s, "%s = %s\n", k, b.meta[k])
	}
	s.WriteString(b.tables.String())
	return s.String()
}

// parse loads the scenario, failing the test on any problem.
func (b *builder) parse(t testing.TB) *model.Scenario {
	t.Helper()
	sc, err := model.Parse("test.toml", []byte(b.String()))
	require.NoError(t, err, "scenario:\n%s", b)
	return sc
}

// sla is a service-level target as a TOML inline table, with any more
// keys (`clock = "business"`) after the two.
func sla(target float64, within string, more ...string) string {
	keys := append([]string{fmt.Sprintf("target = %g", target), fmt.Sprintf("within = %q", within)}, more...)
	return "{ " + strings.Join(keys, ", ") + " }"
}

// exponential is an exponential time distribution with the given mean.
func exponential(mean string) string {
	return fmt.Sprintf(`{ dist = "exponential", mean = %q }`, mean)
}

// phoneTeam is one sync channel served by one always-on tier: the M/M/c
// queue of the Erlang tests.
func phoneTeam(duration, rate, aht string, agents int) *builder {
	return newScenario(duration).
		channel("phone", "sync", rate, sla(0.8, "20s")).
		category("all", 1, exponential(aht)).
		team("rep", []string{"phone"}, agents)
}
