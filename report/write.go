package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/slasim/slasim/model"
	"github.com/slasim/slasim/sim"
)

// ManifestName is the file WriteAll leaves in a report folder listing the
// files it wrote, so that a later run knows which files are its own.
const ManifestName = ".slasim-report"

// WriteOptions tune WriteAll.
type WriteOptions struct {
	// Force writes into a folder that holds files slasim did not write
	// (they are left alone, unless one has the name of a report file).
	Force bool
}

// ErrForeignFiles is returned (wrapped) by WriteAll when the folder holds
// files it did not write and Force is not set.
var ErrForeignFiles = errors.New("folder holds files slasim did not write")

// WriteAll writes every output of a run into dir: result.json,
// intervals.csv, charts/NAME.png and charts/NAME.svg, and report.html. It
// creates dir if needed. If dir already holds files slasim did not write
// (by its manifest), it refuses unless opt.Force is set, so nothing a user
// had is overwritten silently. It returns the paths written.
func WriteAll(dir string, r *sim.Result, sc *model.Scenario, opt WriteOptions) ([]string, error) {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a folder", dir)
	}
	ours, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	foreign, err := foreignFiles(dir, ours)
	if err != nil {
		return nil, err
	}
	if len(foreign) > 0 && !opt.Force {
		return nil, foreignError(dir, foreign)
	}
	charts, err := Charts(r, sc)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		return nil, err
	}
	files["result.json"] = bytes.Clone(b.Bytes())
	b.Reset()
	if err := WriteIntervalsCSV(&b, r); err != nil {
		return nil, err
	}
	files["intervals.csv"] = bytes.Clone(b.Bytes())
	for _, c := range charts {
		b.Reset()
		if err := c.WritePNG(&b, 0); err != nil {
			return nil, fmt.Errorf("chart %s: %w", c.Name, err)
		}
		files["charts/"+c.Name+".png"] = bytes.Clone(b.Bytes())
		b.Reset()
		if err := c.WriteSVG(&b); err != nil {
			return nil, fmt.Errorf("chart %s: %w", c.Name, err)
		}
		files["charts/"+c.Name+".svg"] = bytes.Clone(b.Bytes())
	}
	b.Reset()
	if err := WriteHTML(&b, r, sc, charts); err != nil {
		return nil, err
	}
	files["report.html"] = bytes.Clone(b.Bytes())

	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		return nil, err
	}
	// The manifest first, so that an interrupted run still knows its files.
	all := append(append([]string{}, names...), ours...)
	if err := writeManifest(dir, all); err != nil {
		return nil, err
	}
	var written []string
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, writeManifest(dir, names)
}

// readManifest lists the files a previous WriteAll wrote into dir.
func readManifest(dir string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			names = append(names, l)
		}
	}
	return names, sc.Err()
}

func writeManifest(dir string, names []string) error {
	seen := map[string]bool{}
	var b strings.Builder
	b.WriteString("# files written by slasim; slasim rewrites them freely\n")
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			b.WriteString(n + "\n")
		}
	}
	return os.WriteFile(filepath.Join(dir, ManifestName), []byte(b.String()), 0o644)
}

// foreignFiles lists the files under dir not named in ours (paths relative
// to dir, with slashes). A missing dir has none.
func foreignFiles(dir string, ours []string) ([]string, error) {
	own := map[string]bool{ManifestName: true}
	for _, n := range ours {
		own[n] = true
	}
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !own[rel] {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// CheckDir reports whether WriteAll would accept dir, so that a command
// can refuse before a long run rather than after it.
func CheckDir(dir string, force bool) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("%s is a file, not a folder", dir)
	}
	if force {
		return nil
	}
	ours, err := readManifest(dir)
	if err != nil {
		return err
	}
	foreign, err := foreignFiles(dir, ours)
	if err != nil {
		return err
	}
	if len(foreign) > 0 {
		return foreignError(dir, foreign)
	}
	return nil
}

func foreignError(dir string, foreign []string) error {
	shown := foreign
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("and %d more", len(foreign)-5))
	}
	return fmt.Errorf("%s: %w (%s); choose an empty or new folder, or use --force to write into it anyway",
		dir, ErrForeignFiles, strings.Join(shown, ", "))
}
