package replay

import (
	"math"
	"testing"
	"time"
)

// Known answers of a ramp 0→10/s over 10 s (N(t) = t²/2), a plateau of
// 10/s for 10 s, and a ramp down to 0 over 10 s (200 actions in all).
func TestStagesPacerDue(t *testing.T) {
	p, err := ParseStages("10s:0/s,10s:10/s,10s:10/s,10s:0/s")
	if err != nil {
		t.Fatal(err)
	}
	p.Stages = p.Stages[1:] // the first leg (0→0 over 10 s) only checks that 0/s parses
	for _, c := range []struct {
		n    int
		want float64
	}{
		{0, 0}, {8, 4}, {50, 10}, {100, 15}, {150, 20}, {195, 30 - math.Sqrt(10)}, {200, 30},
	} {
		got := p.Due(c.n, 0).Seconds()
		if math.Abs(got-c.want) > 1e-6 {
			t.Errorf("Due(%d) = %.6fs, want %.6fs", c.n, got, c.want)
		}
	}
	if d := p.Due(201, 0); d <= p.End() || p.End() != 30*time.Second {
		t.Errorf("Due(201) = %v, End %v: past the last stage must be after the end", d, p.End())
	}
	for _, bad := range []string{"", "2m", "2m:fast", "-1s:5/s", "2m:50"} {
		if _, err := ParseStages(bad); err == nil {
			t.Errorf("ParseStages(%q) accepted", bad)
		}
	}
}

func TestThresholds(t *testing.T) {
	s := Summary{Actions: 200, OK: 180, Failed: 10, InDoubt: 2, NotSent: 8, NotSentBy: map[string]int{NotSentDuration: 8},
		Total: ActionStats{FromIntended: Latency{P99: 1500, P50: 20}}}
	for _, c := range []struct {
		text string
		hold bool
		val  float64
	}{
		{"p99<2s", true, 1500}, {"p99<1s", false, 1500}, {"p50<=20ms", true, 20},
		{"errors<1%", false, 100 * 12.0 / 192}, {"errors<10%", true, 100 * 12.0 / 192},
		{"failed<=10", true, 10}, {"in_doubt<1", false, 2}, {"not_sent<=8", true, 8},
	} {
		th, err := ParseThreshold(c.text)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := th.Check(s)
		if ok != c.hold || math.Abs(v-c.val) > 1e-9 {
			t.Errorf("%s: value %v hold %v, want %v %v", c.text, v, ok, c.val, c.hold)
		}
	}
	if v := Verdict(s, nil); len(v) != 0 {
		t.Errorf("verdict of a mostly good run: %v", v)
	}
	if v := Verdict(Summary{Actions: 4, Failed: 3, OK: 1}, nil); len(v) != 1 {
		t.Errorf("3 of 4 failed must fail by default: %v", v)
	}
	for _, bad := range []string{"p99", "p99<fast", "latency<2s", "errors<x%"} {
		if _, err := ParseThreshold(bad); err == nil {
			t.Errorf("ParseThreshold(%q) accepted", bad)
		}
	}
}

func TestValidateURL(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/REST/2.0", "https://acme.zendesk.com", "http://[::1]:80/x"} {
		if err := ValidateURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"ftp://h/x", "127.0.0.1:8080", "http://", "http://host/%zz", "http://h:0/", "http://h:x/", "http://h:/", "mailto:a@b"} {
		if err := ValidateURL(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	if got := RedactURL("http://alice:pw@h:1/p?q=1"); got != "http://h:1/p?q=1" {
		t.Errorf("RedactURL = %s", got)
	}
}
