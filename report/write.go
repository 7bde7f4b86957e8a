package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
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
	ours, err := ownedFiles(dir, opt.Force)
	if err != nil {
		return nil, err
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

	return writeOwned(dir, files, ours)
}

// ownedFiles returns the files of dir that slasim wrote (by its manifest),
// refusing a dir that is a file, or that holds other files unless force.
func ownedFiles(dir string, force bool) ([]string, error) {
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
	if len(foreign) > 0 && !force {
		return nil, foreignError(dir, foreign)
	}
	return ours, nil
}

// writeOwned writes files into dir under the manifest: the manifest first
// (with the files already ours, so an interrupted write still knows them),
// then the files, then the manifest of what this write produced.
func writeOwned(dir string, files map[string][]byte, ours []string) ([]string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	all := append(append([]string{}, names...), ours...)
	if err := writeManifest(dir, all); err != nil {
		return nil, err
	}
	written, err := WriteFiles(dir, files)
	if err != nil {
		return nil, err
	}
	return written, writeManifest(dir, names)
}

// WriteFiles writes files (named by paths relative to dir, with slashes)
// into dir, creating folders as needed. Each file is first written to a
// temporary file beside it, and only when all are written are they renamed
// into place, so a failure half-way leaves the old files as they were. A
// rename replaces a symbolic link planted at a file's name instead of
// writing through it; a folder inside dir that is a symbolic link is
// refused. It returns the paths written, in name order.
func WriteFiles(dir string, files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	temps := make([]string, 0, len(names))
	clean := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := makeFolders(dir, filepath.Dir(p)); err != nil {
			clean()
			return nil, err
		}
		t, err := writeTemp(p, files[n])
		if t != "" {
			temps = append(temps, t)
		}
		if err != nil {
			clean()
			return nil, err
		}
	}
	written := make([]string, 0, len(names))
	for i, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.Rename(temps[i], p); err != nil {
			temps = temps[i:]
			clean()
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

// makeFolders creates the folders from dir down to sub, refusing any that
// exists as something other than a real folder (a symbolic link could lead
// outside dir).
func makeFolders(dir, sub string) error {
	rel, err := filepath.Rel(dir, sub)
	if err != nil || rel == "." {
		return err
	}
	p := dir
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(p, 0o755); err != nil {
				return err
			}
		case err != nil:
			return err
		case !st.IsDir():
			return fmt.Errorf("%s is not a folder (a link or a file); remove it or choose another --out", p)
		}
	}
	return nil
}

// writeTemp writes data to a new temporary file beside path and returns
// its name.
func writeTemp(path string, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return f.Name(), fmt.Errorf("%s: %w", path, err)
	}
	return f.Name(), nil
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
	_, err := WriteFiles(dir, map[string][]byte{ManifestName: []byte(b.String())})
	return err
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
		if !own[rel] && !isTemp(rel) {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// isTemp reports whether a file is a temporary file WriteFiles left
// behind when it was stopped.
func isTemp(rel string) bool {
	base := path.Base(rel)
	return strings.HasPrefix(base, ".") && strings.Contains(base, ".tmp-")
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
