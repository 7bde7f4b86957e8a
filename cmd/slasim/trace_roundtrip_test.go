package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A trace written by `run --trace` (it starts in the warm-up, at negative
// times) is read back by `replay`: a dry run maps every action.
func TestRunTraceReplaysDry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	var stdout, stderr bytes.Buffer
	code := dispatch([]string{"run", "../../scenarios/small-team.toml", "--quiet", "--replications", "1", "--set", "scenario.duration=1d", "--trace", path}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	stdout.Reset()
	stderr.Reset()
	code = dispatch([]string{"replay", path, "--helpdesk", "rt5", "--url", "http://127.0.0.1:9", "--dry-run", "--speed", "1000"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stderr.String(), "dry run:")
	assert.False(t, strings.Contains(stderr.String(), "before the previous action"), stderr.String())
}
