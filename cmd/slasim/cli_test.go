package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	goldenfile "github.com/slasim/slasim/report/golden"
)

// cliGolden runs the command dispatcher in process with args and compares
// its exit code, standard output and standard error with
// testdata/cli/NAME.stdout and NAME.stderr (go test -update rewrites them;
// a mismatch leaves NAME.stdout.got beside the golden file and shows a
// unified diff). Each replace pair is applied to both outputs first, to
// take out what changes from machine to machine (a temporary directory).
func cliGolden(t *testing.T, name string, wantCode int, args []string, replace ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := dispatch(args, &out, &errb)
	assert.Equal(t, wantCode, code, "exit code of slasim %s\nstderr: %s", strings.Join(args, " "), errb.String())
	r := strings.NewReplacer(replace...)
	dir := filepath.Join("testdata", "cli")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	goldenfile.Check(t, filepath.Join(dir, name+".stdout"), []byte(r.Replace(out.String())))
	goldenfile.Check(t, filepath.Join(dir, name+".stderr"), []byte(r.Replace(errb.String())))
}

// The CLI's output for the commands a user types first, pinned.
func TestCLIGolden(t *testing.T) {
	small := "../../scenarios/small-team.toml"
	for _, c := range []struct {
		name string
		code int
		args []string
	}{
		{"help", 0, []string{"help"}},
		{"no-args", 2, nil},
		{"unknown-command", 2, []string{"simulate"}},
		{"run-small-team", 0, []string{"run", small, "--replications", "3", "--set", "scenario.duration=2d", "--quiet"}},
		{"run-one-replication", 0, []string{"run", small, "--replications", "1", "--set", "scenario.duration=1d", "--quiet"}},
		{"bad-override", 2, []string{"run", small, "--set", "category.nope.share=0.5", "--quiet"}},
		{"erlang-agents", 0, []string{"erlang", "--rate", "570/h", "--aht", "5m", "--agents", "50", "--within", "20s"}},
		{"erlang-target", 0, []string{"erlang", "--rate", "570/h", "--aht", "5m", "--target", "0.8", "--within", "20s", "--patience", "2m", "--max-abandon", "0.05"}},
		{"compare-two-files", 0, []string{"compare", small, small, "--replications", "3", "--set", "scenario.duration=2d"}},
		{"compare-more-agents", 0, []string{"compare", small, "--replications", "3", "--set", "shift.morning.headcount=6", "--set", "scenario.duration=2d", "--set", "channel.phone.sla.within=10s"}},
	} {
		t.Run(c.name, func(t *testing.T) { cliGolden(t, c.name, c.code, c.args) })
	}
}

// The same scenario and seed print byte-identical JSON whether the
// replications run on one core or two.
func TestJSONIsByteIdenticalAcrossCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	run := func(procs int) []byte {
		runtime.GOMAXPROCS(procs)
		var out, errb bytes.Buffer
		code := dispatch([]string{"run", "../../scenarios/black-friday.toml", "--json", "--replications", "4", "--quiet"}, &out, &errb)
		require.Equal(t, 0, code, errb.String())
		return out.Bytes()
	}
	one, two := run(1), run(2)
	require.Greater(t, len(one), 1000)
	assert.True(t, bytes.Equal(one, two), "GOMAXPROCS=1 and 2 differ")
}

// A staffing plan too: the search's replications, the roster and the check
// give byte-identical JSON on one core or two.
func TestStaffJSONIsByteIdenticalAcrossCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	run := func(procs int) []byte {
		runtime.GOMAXPROCS(procs)
		var out, errb bytes.Buffer
		code := dispatch([]string{"staff", "../../scenarios/small-team.toml", "--json", "--quiet", "--no-sensitivity", "--meet", "period"}, &out, &errb)
		require.Equal(t, 0, code, errb.String())
		return out.Bytes()
	}
	one, two := run(1), run(2)
	require.Greater(t, len(one), 1000)
	assert.True(t, bytes.Equal(one, two), "GOMAXPROCS=1 and 2 differ")
}

// Bad input: a clear error naming file, line and field, exit code 2, and no
// panic, for every kind of mistake a user makes; the messages are pinned in
// testdata/cli/bad-*.stderr.
func TestBadScenariosExitTwo(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile("../../scenarios/small-team.toml")
	require.NoError(t, err)
	write := func(name, from, to string) string {
		p := filepath.Join(dir, name)
		src := string(good)
		if from != "" {
			require.Contains(t, src, from)
			src = strings.Replace(src, from, to, 1)
		}
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
		return p
	}
	cases := []struct {
		path string
		want string
	}{
		{write("negative.toml", `rate = "5/h"`, `rate = "-5/h"`), `negative.toml:47: channel "phone": rate: rate "-5/h" must be positive`},
		{write("zero.toml", `rate = "3.5/h"`, `rate = "0/d"`), `zero.toml:55: channel "email": rate: rate "0/d" must be positive`},
		{write("shares.toml", "share = 0.5\nhandle_time = { dist = \"lognormal\", mean = \"7m\"", "share = 0.4\nhandle_time = { dist = \"lognormal\", mean = \"7m\""), "category shares sum to 0.9; they must sum to 1"},
		{write("tier.toml", `tier = "lead"`, `tier = "manager"`), `shift "lead": tier "manager" is not a [[tier]]`},
		{write("channel.toml", `skills = ["phone", "email"]`, `skills = ["phone", "whatsapp"]`), `tier "representative": skills names "whatsapp", which is not a [[channel]]`},
		{write("notier.toml", "tier = \"lead\"\ndays", "days"), `shift "lead": tier is missing`},
		{write("target.toml", `target = 0.80`, `target = 1.5`), `channel "phone": sla.target 1.5 is not in (0,1]`},
		{write("duration.toml", `length = "6h"`, `length = "6 hours"`), `shift "saturday": length: malformed duration "6 hours"`},
		{write("unknown.toml", `seed = 42`, "seed = 42\nreplicatons = 3"), `unknown key "scenario.replicatons"`},
		{write("empty.toml", string(good), ""), "empty.toml:1: the file is empty"},
		{dir, "is a directory"},
		{filepath.Join(dir, "missing.toml"), "missing.toml: no such file"},
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c.path), ".toml")
		if c.path == dir {
			name = "directory"
		}
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch([]string{"run", c.path, "--quiet"}, &out, &errb)
			assert.Equal(t, 2, code)
			assert.Contains(t, errb.String(), c.want)
			assert.NotContains(t, errb.String(), "panic")
			assert.Empty(t, out.String(), "nothing runs")
			cliGolden(t, "bad-"+name, 2, []string{"run", c.path, "--quiet"}, dir, "$TMP")
		})
	}
}

// buildBinary compiles slasim, for the few tests that need a real process
// (signals, exit codes of main); the others call dispatch in process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "slasim")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}
