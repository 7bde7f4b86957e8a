package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileCase is one file of testdata/hostile: a scenario an attacker or a
// careless user might write, with what slasim must answer in its header:
//
//	# hostile: what the case tries
//	# args: extra arguments for run (optional)
//	# exit: 2
//	# want: :12: channel "phone": rate … (":LINE:" is put after the path)
type hostileCase struct {
	path string
	args []string
	exit int
	want string
}

func readHostileCase(t *testing.T, path string) hostileCase {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	c := hostileCase{path: path, exit: -1}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		l := sc.Text()
		if first {
			l = strings.TrimPrefix(l, "\ufeff") // a case may start with a byte-order mark
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(l, "# "), ": ")
		if !ok || !strings.HasPrefix(l, "# ") {
			break
		}
		switch k {
		case "args":
			c.args = strings.Fields(v)
		case "exit":
			c.exit, err = strconv.Atoi(v)
			require.NoError(t, err, path)
		case "want":
			c.want = v
		}
	}
	require.NotEqual(t, -1, c.exit, "%s: no '# exit:' line in the header", path)
	require.True(t, c.exit == 0 || c.want != "", "%s: a refused case needs a '# want:' line", path)
	return c
}

// Every hostile case, run in process through the CLI: exit 2 with the
// file:line:field message before anything runs, or a clean run whose
// figures are finite and make sense.
func TestHostileCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile/*.toml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 50)
	for _, path := range files {
		c := readHostileCase(t, path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".toml"), func(t *testing.T) {
			args := append([]string{"run", c.path, "--quiet"}, c.args...)
			if c.exit == 0 {
				args = append(args, "--json")
			}
			var stdout, stderr bytes.Buffer
			code := dispatch(args, &stdout, &stderr)
			require.Equal(t, c.exit, code, "stderr: %s", stderr.String())
			assert.NotContains(t, stderr.String(), "panic")
			assert.NotContains(t, stderr.String(), "goroutine")
			if c.exit != 0 {
				assertProblem(t, stderr.String(), c.path, c.want)
				assert.Empty(t, stdout.String(), "nothing runs")
				assert.LessOrEqual(t, strings.Count(stderr.String(), "\n"), 60, "problems are listed, not flooded")
				return
			}
			assertSaneResult(t, stdout.Bytes())
		})
	}
}

// assertProblem checks that stderr holds want; a want of ":LINE: text"
// must be on a line starting with "PATH:LINE:".
func assertProblem(t *testing.T, stderr, path, want string) {
	t.Helper()
	if !strings.HasPrefix(want, ":") {
		assert.Contains(t, stderr, want)
		return
	}
	loc, text, _ := strings.Cut(want[1:], ": ")
	prefix := path + ":" + loc + ":"
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, text) {
			return
		}
	}
	t.Errorf("stderr has no line starting %q and holding %q:\n%s", prefix, text, stderr)
}

// assertSaneResult checks a run's JSON: every channel had arrivals and a
// service level in [0,1] if any contact could be judged; every tier
// handled tickets, with an occupancy in [0,1] (a NaN handle time leaves it
// null) and a positive cost.
func assertSaneResult(t *testing.T, out []byte) {
	t.Helper()
	type stat struct{ Mean *float64 }
	var r struct {
		Channels []struct {
			Name         string
			Arrivals     stat
			ServiceLevel stat `json:"service_level"`
		}
		Tiers []struct {
			Name      string
			Handled   stat
			Occupancy stat
			Cost      stat
		}
	}
	require.NoError(t, json.Unmarshal(out, &r), string(out))
	require.NotEmpty(t, r.Channels)
	for _, c := range r.Channels {
		require.NotNil(t, c.Arrivals.Mean, c.Name)
		assert.Greater(t, *c.Arrivals.Mean, 0.0, c.Name)
		if sl := c.ServiceLevel.Mean; sl != nil { // null: no contact could be judged yet
			assert.True(t, *sl >= 0 && *sl <= 1, "%s: service level %v", c.Name, *sl)
		}
	}
	for _, tr := range r.Tiers {
		if assert.NotNil(t, tr.Handled.Mean) {
			assert.Greater(t, *tr.Handled.Mean, 0.0, tr.Name)
		}
		if assert.NotNil(t, tr.Occupancy.Mean, "%s: occupancy", tr.Name) {
			assert.True(t, *tr.Occupancy.Mean >= 0 && *tr.Occupancy.Mean <= 1, "%s: occupancy %v", tr.Name, *tr.Occupancy.Mean)
		}
		if assert.NotNil(t, tr.Cost.Mean) {
			assert.Greater(t, *tr.Cost.Mean, 0.0, tr.Name)
		}
	}
}

// The hostile corpus again, each case in its own process under a 1.5 GiB
// memory limit, as a user on a small machine would run it: none may run out
// of memory or die, and each ends with its exit code. The limit is
// RLIMIT_DATA (prlimit --data), which counts the heap Go commits; an
// address-space limit (--as) would also count the arenas Go only reserves
// and fail at a few megabytes. Long (a process per case): run with -long.
func TestHostileCorpusUnderMemoryLimit(t *testing.T) {
	if !*long {
		t.Skip("a process per case; run with -long")
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	bin := buildBinary(t)
	// The limit bites: Black Friday does not fit in 50 MB.
	small := exec.Command(prlimit, "--data=50000000", bin, "run", "../../scenarios/black-friday.toml", "--quiet", "--replications", "2")
	require.Error(t, small.Run(), "a 50 MB limit must stop a Black Friday run")
	files, err := filepath.Glob("testdata/hostile/*.toml")
	require.NoError(t, err)
	for _, path := range files {
		c := readHostileCase(t, path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".toml"), func(t *testing.T) {
			args := append([]string{"--data=1610612736", bin, "run", c.path, "--quiet"}, c.args...)
			cmd := exec.Command(prlimit, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, c.exit, code, "stderr: %s", stderr.String())
			assert.NotContains(t, stderr.String(), "out of memory")
			assert.NotContains(t, stderr.String(), "goroutine")
		})
	}
}
