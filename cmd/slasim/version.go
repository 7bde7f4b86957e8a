package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// printVersion writes what `slasim --version` says, from the build
// information the Go toolchain embeds in the binary.
func printVersion(w io.Writer) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(w, "slasim (no build information)")
		return
	}
	fmt.Fprintln(w, versionText(info))
}

// versionText is "slasim VERSION (commit REV, DATE[, modified]) GO": the
// module version (v1.2.3 when installed with go install, "(devel)" when
// built from a checkout) and the commit the build came from, when known.
func versionText(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	set := map[string]string{}
	for _, s := range info.Settings {
		set[s.Key] = s.Value
	}
	var vcs []string
	if rev := set["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		vcs = append(vcs, "commit "+rev)
	}
	if t := set["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if set["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	s := "slasim " + v
	if len(vcs) > 0 {
		s += " (" + strings.Join(vcs, ", ") + ")"
	}
	return s + " " + info.GoVersion
}
