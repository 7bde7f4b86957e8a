package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ctrl-C stops a run cleanly: exit 130, a short message, and the trace
// file it had started removed (nothing half-written is left).
func TestInterruptStopsARunCleanly(t *testing.T) {
	bin := buildBinary(t)
	trace := filepath.Join(t.TempDir(), "t.jsonl")
	cmd := exec.Command(bin, "run", "../../scenarios/black-friday.toml", "--replications", "5000", "--quiet", "--trace", trace)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Start())
	// The trace fills once the replications run, after the handler is
	// set: wait for it (bounded), then interrupt.
	for i := 0; i < 600; i++ {
		if st, err := os.Stat(trace); err == nil && st.Size() > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, errb.String())
	assert.Equal(t, 130, ee.ExitCode(), errb.String())
	assert.Contains(t, errb.String(), "interrupted")
	assert.Empty(t, out.String())
	assert.NoFileExists(t, trace)
}
