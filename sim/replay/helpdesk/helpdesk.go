// Package helpdesk builds the replay adapter of a helpdesk product by name
// (rt5, zendesk, generic). It is the adapter factory of `slasim replay`;
// it lives beside package replay, not in it, because the adapters import
// replay.
package helpdesk

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/slasim/slasim/sim/replay"
	"github.com/slasim/slasim/sim/replay/generic"
	"github.com/slasim/slasim/sim/replay/rt5"
	"github.com/slasim/slasim/sim/replay/zendesk"
)

// Names are the helpdesks New knows.
var Names = []string{"rt5", "zendesk", "generic"}

// Config says which helpdesk to drive and how to reach it.
type Config struct {
	Name  string // rt5, zendesk or generic
	URL   string
	Token string
	HTTP  *replay.HTTP
	// RT5Mailgate is RT's mail gateway URL (customer replies as mail).
	RT5Mailgate string
	// RT5CustomFields: "on", "off", or "" to use them when they exist.
	RT5CustomFields string
	// ZendeskEmail is the agent e-mail of API-token auth; ZendeskGroups
	// queue=group_id pairs, comma-separated.
	ZendeskEmail  string
	ZendeskGroups string
	// Template is the generic adapter's TOML file.
	Template string
}

// New returns the adapter for cfg. For rt5 without an explicit custom
// fields choice it asks RT whether the fields exist (ctx bounds that).
func New(ctx context.Context, cfg Config) (replay.Adapter, error) {
	switch cfg.Name {
	case "rt5":
		rc := rt5.Config{URL: cfg.URL, Token: cfg.Token, MailgateURL: cfg.RT5Mailgate, HTTP: cfg.HTTP,
			CustomFields: cfg.RT5CustomFields == "on"}
		a, err := rt5.New(rc)
		if err != nil || cfg.RT5CustomFields != "" {
			return a, err
		}
		if ok, err := a.HasCustomFields(ctx); err == nil && ok {
			rc.CustomFields = true
			return rt5.New(rc)
		}
		return a, nil
	case "zendesk":
		groups, err := Groups(cfg.ZendeskGroups)
		if err != nil {
			return nil, fmt.Errorf("--zendesk-groups: %w", err)
		}
		return zendesk.New(zendesk.Config{URL: cfg.URL, Email: cfg.ZendeskEmail, Token: cfg.Token, Groups: groups, HTTP: cfg.HTTP})
	case "generic":
		if cfg.Template == "" {
			return nil, fmt.Errorf("--helpdesk generic needs --template FILE")
		}
		return generic.LoadFile(cfg.Template, cfg.URL, cfg.Token, cfg.HTTP)
	}
	return nil, fmt.Errorf("--helpdesk %q: want %s", cfg.Name, strings.Join(Names, ", "))
}

// NeedsToken reports whether the helpdesk refuses anonymous requests.
func NeedsToken(name string) bool { return name != "generic" }

// DefaultUsers are the helpdesk users standing for simulated agents when
// none are given (those rt5-up.sh creates for rt5).
func DefaultUsers(name string) []string {
	if name == "rt5" {
		return []string{"agent1", "agent2", "agent3", "agent4"}
	}
	return nil
}

// Pairs reads "name=value,name=value".
func Pairs(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, p := range SplitList(s) {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%q is not name=value", p)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}

// Groups reads queue=group_id pairs.
func Groups(s string) (map[string]int64, error) {
	groups := map[string]int64{}
	if s == "" {
		return groups, nil
	}
	g, err := Pairs(s)
	if err != nil {
		return nil, err
	}
	for k, v := range g {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("group id %q of %s is not a number", v, k)
		}
		groups[k] = id
	}
	return groups, nil
}

// SplitList splits a comma-separated list, dropping empty items.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
