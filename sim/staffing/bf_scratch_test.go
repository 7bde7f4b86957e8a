package staffing

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

func TestScratchErlangRun(t *testing.T) {
	sc := load(t, "../../scenarios/black-friday.toml")
	d, _ := newDemand(sc)
	erl, err := erlangAgents(sc, d, 0.85)
	if err != nil {
		t.Fatal(err)
	}
	for ti := range erl {
		t.Logf("erl %d %v", ti, erl[ti][:96])
	}
	t0 := time.Now()
	res, err := sim.Run(sc, sim.Options{Staffing: erl, Replications: 10})
	t.Logf("run %v %v", time.Since(t0), err)
	for c, ch := range sc.Channels {
		s := ""
		for _, iv := range res.Intervals {
			if iv.Channel == ch.Name && iv.Index < 96 {
				sl := pooled(iv.Offered, iv.ServiceLevel)
				if math.IsNaN(sl) {
					s += " -"
				} else {
					s += fmt.Sprintf(" %.0f", sl*100)
				}
			}
		}
		t.Logf("%d %s %.0f%%: %s", c, ch.Name, ch.SLA.Target*100, s)
	}
}

func TestScratchBF(t *testing.T) {
	sc := load(t, "../../scenarios/black-friday.toml")
	t0 := time.Now()
	req, err := FindRequirements(sc, Options{Progress: func(s string, n int) { t.Logf("%s %d %v", s, n, time.Since(t0)) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("runs %d margin %v in %v", req.Runs, req.Margin, time.Since(t0))
	for ti := range req.Tiers {
		t.Logf("%s erl %v", req.Tiers[ti], req.Erlang[ti][:96])
		t.Logf("%s sim %v", req.Tiers[ti], req.Simulated[ti][:96])
	}
}

func TestScratchBuild(t *testing.T) {
	sc := load(t, "../../scenarios/black-friday.toml")
	t0 := time.Now()
	p, err := Build(sc, Options{Sensitivity: true, Progress: func(s string, n int) { t.Logf("%s %d %v", s, n, time.Since(t0)) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("runs %d repairs %d met %v in %v", p.Runs, p.Repairs, p.Met, time.Since(t0))
	for _, tg := range p.Targets {
		t.Logf("%+v", tg)
	}
	t.Logf("%+v", *p.Budget)
	for _, s := range p.Sensitivity {
		t.Logf("%+v", s)
	}
	t.Logf("%d lines", len(p.Schedule.Lines))
}
