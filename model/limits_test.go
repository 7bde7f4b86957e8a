package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpan(t *testing.T) {
	s := leftOpen(0, 20)
	for _, c := range []struct {
		x    float64
		want bool
	}{{0, false}, {1e-300, true}, {20, true}, {20.0000001, false}, {math.NaN(), false}, {math.Inf(1), false}, {math.Inf(-1), false}} {
		assert.Equal(t, c.want, s.has(c.x), "%v", c.x)
	}
	assert.Equal(t, "(0, 20]", s.String())
	assert.Equal(t, "[0,1)", unitHalfOpen.String())
	assert.Equal(t, "[0.001, 10]", closed(MinCV, MaxCV).String())
	assert.EqualError(t, s.check(math.NaN()), "NaN is not a finite number; want one in (0, 20]")
	assert.EqualError(t, s.check(-1), "-1 is not in (0, 20]")
	assert.NoError(t, s.check(3))
}

// Inside the documented cv range every distribution draws finite values
// whose mean is the one asked for; outside it Build refuses.
func TestDistributionRangesAreFinite(t *testing.T) {
	src := rand.NewPCG(1, 2)
	for _, dist := range []string{"lognormal", "gamma"} {
		for _, cv := range []float64{MinCV, 1, MaxCV} {
			spec := DistSpec{Dist: dist, Mean: Duration{MaxDistMean}, CV: cv}
			d, err := spec.Build("")
			require.NoError(t, err)
			const n = 200000
			var sum float64
			for i := 0; i < n; i++ {
				x := d.Sample(src)
				require.False(t, math.IsNaN(x) || math.IsInf(x, 0) || x < 0, "%s cv=%g drew %v", dist, cv, x)
				sum += x
			}
			// The sample mean of a cv-10 distribution is noisy: allow 5
			// standard errors.
			se := cv * MaxDistMean.Seconds() / math.Sqrt(n)
			assert.InDelta(t, MaxDistMean.Seconds(), sum/n, 5*se+1e-6*MaxDistMean.Seconds(), "%s cv=%g", dist, cv)
		}
		for _, cv := range []float64{0, MinCV / 2, MaxCV * 1.01, 1e160, 1e-200, math.NaN(), math.Inf(1)} {
			_, err := DistSpec{Dist: dist, Mean: Duration{time.Minute}, CV: cv}.Build("")
			assert.ErrorContains(t, err, "is not", "%s cv=%g", dist, cv)
		}
	}
	_, err := DistSpec{Dist: "exponential", Mean: Duration{MaxDistMean + time.Second}}.Build("")
	assert.ErrorContains(t, err, "is longer than 365d")
	_, err = DistSpec{Dist: "constant", Value: Duration{MaxDistMean + time.Second}}.Build("")
	assert.ErrorContains(t, err, "is longer than 365d")
}

func TestScanDepth(t *testing.T) {
	for _, c := range []struct {
		text string
		deep int // line, 0 for none
	}{
		{base, 0},
		{"a = \"[[[[[[[[[[[[[[[[{{{{{{{{\"\n", 0},           // brackets in a string
		{"a = '[[[[[[[[[[[[[[[[[[['\n", 0},                  // and a literal one
		{"# [[[[[[[[[[[[[[[[[[[[[[[\nx = 1\n", 0},           // and a comment
		{"a = \"\"\"\n[[[[[[[[[[[[[[[[\n\"\"\"\n", 0},       // and a multi-line string
		{"a = 1\nb = " + strings.Repeat("[", 11) + "\n", 2}, // arrays
		{"x = " + strings.Repeat("{a=", 11), 1},             // inline tables
		{"\n\n" + strings.Repeat("a.", 11) + "a = 1\n", 3},  // a dotted key
		{"[" + strings.Repeat("a.", 11) + "a]\n", 1},        // a header
		{"[a.b.c.d.e.f]\ng.h.i.j = { k = { l = 1 } }\n", 2}, // a header and a key together
		{"x = [1.5, 2.5]\nescalate = [{ handle_time = { cv = 0.5 } }]\n", 0},
	} {
		got := scanText([]byte(c.text)).deepLine
		assert.Equal(t, c.deep, got, "%q", c.text)
	}
}

// The index ignores what looks like a header inside a multi-line string.
func TestLineIndexSkipsStrings(t *testing.T) {
	src := "[scenario]\nname = \"\"\"\n[[channel]]\n\"\"\"\n[[channel]]\nname = \"a\"\n"
	idx := indexLines([]byte(src))
	assert.Equal(t, 5, idx.line("channel[0]"))
	assert.Equal(t, 6, idx.line("channel[0].name"))
	assert.False(t, idx.has("channel[1]"))
	// A line-ending backslash in a multi-line string keeps the count.
	src = "a = \"\"\"x \\\n[[channel]]\n\"\"\"\n[[channel]]\n"
	idx = indexLines([]byte(src))
	assert.Equal(t, 4, idx.line("channel[0]"))
}

func TestPeakRate(t *testing.T) {
	surge := func(from, to string, f float64) string {
		return fmt.Sprintf("\n[[surge]]\nname = \"s\"\nfrom = 2026-11-23T%s:00:00-05:00\nto = 2026-11-23T%s:00:00-05:00\nfactor = %g\n", from, to, f)
	}
	profile := "\n[[profile]]\nname = \"p\"\nintraday = [1, 3]\nweekly = [2, 1, 1, 1, 1, 1, 1]\n"
	withProfile := strings.Replace(base, `rate = "120/h"`, `rate = "120/h"`+"\nprofile = \"p\"", 1) + profile
	for _, c := range []struct {
		name, src string
		want      float64 // per hour, channel phone
	}{
		{"flat", base, 120},
		{"profile: 3/mean 2 on a Monday ×2", withProfile, 120 * 1.5 * 2},
		{"two surges apart", base + surge("01", "02", 4) + surge("03", "04", 5), 120 * 5},
		{"two surges overlapping", base + surge("01", "03", 4) + surge("02", "04", 5), 120 * 20},
		{"back to back", base + surge("01", "02", 4) + surge("02", "03", 5), 120 * 5},
		{"a zero surge inside another", base + surge("01", "04", 4) + surge("02", "03", 0), 120 * 4},
	} {
		sc, err := Parse("p.toml", []byte(c.src))
		require.NoError(t, err, c.name)
		assert.InDelta(t, c.want, sc.PeakRate(0)*3600, 1e-6, c.name)
	}
	// A peak past the limit is refused and the message says why.
	src := strings.Replace(base, `rate = "120/h"`, `rate = "90000/h"`, 1) + surge("01", "03", 4) + surge("02", "04", 5)
	_, err := Parse("p.toml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `p.toml:11: channel "phone": rate 90000/h reaches 1.8e+06/h at its peak (×1 from the profile, ×20 from surges); the limit is 1000000/h per channel`)
}

func TestUnknownKeysAreCapped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "k%d = 1\n", i)
	}
	src := strings.Replace(base, "seed = 1\n", "seed = 1\n"+b.String(), 1)
	_, err := Parse("k.toml", []byte(src))
	var ps Problems
	require.True(t, errors.As(err, &ps))
	require.Len(t, ps, maxUnknownKeys+1)
	assert.Equal(t, `k.toml:7: unknown key "scenario.k0"`, ps[0].Error())
	assert.Equal(t, "k.toml: and 450 more unknown keys", ps[maxUnknownKeys].Error())
}

// BenchmarkParseUnknownKeys loads files of 1,000 and 10,000 unknown keys:
// ns/key stays flat when the loader is linear.
func BenchmarkParseUnknownKeys(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "k%d = 1\n", i)
		}
		src := []byte(strings.Replace(base, "seed = 1\n", "seed = 1\n"+sb.String(), 1))
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Parse("k.toml", src); err == nil {
					b.Fatal("accepted unknown keys")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}

// A file with thousands of broken tables lists the first problems and
// counts the rest.
func TestProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(base)
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "\n[[channel]]\nname = \"c%d\"\nmode = \"sync\"\nrate = \"1/h\"\nsla = { target = 2, within = \"1m\" }\n", i)
	}
	_, err := Parse("many.toml", []byte(b.String()))
	var ps Problems
	require.True(t, errors.As(err, &ps))
	require.Len(t, ps, maxProblems+1)
	assert.Regexp(t, `^many.toml: and \d+ more problems$`, ps[maxProblems].Error())
}
