package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/slasim/slasim", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "d12e4bb0123456789abcdef"}, {Key: "vcs.time", Value: "2026-11-29T16:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	assert.Equal(t, "slasim (devel) (commit d12e4bb01234, 2026-11-29T16:00:00Z, modified) go1.26.8", versionText(info))
	info = &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}}
	assert.Equal(t, "slasim v0.3.0 go1.26.8", versionText(info))
}

func TestVersionFlag(t *testing.T) {
	for _, arg := range []string{"--version", "-version", "version"} {
		var out, errb bytes.Buffer
		assert.Equal(t, 0, dispatch([]string{arg}, &out, &errb), arg)
		assert.True(t, strings.HasPrefix(out.String(), "slasim "), "%s: %q", arg, out.String())
		assert.Empty(t, errb.String())
	}
}
