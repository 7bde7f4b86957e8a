package report

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteAllDoesNotFollowSymlinks: a symbolic link planted at
// DIR/intervals.csv after a run (so the manifest calls the name ours) is
// replaced by the new file; the file it pointed at, outside DIR, is left
// as it was. A charts folder that is a link is refused.
func TestWriteAllDoesNotFollowSymlinks(t *testing.T) {
	r, sc := fixture()
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	_, err := WriteAll(dir, r, sc, WriteOptions{})
	require.NoError(t, err)

	victim := filepath.Join(root, "victim.txt")
	require.NoError(t, os.WriteFile(victim, []byte("keep me"), 0o644))
	csvPath := filepath.Join(dir, "intervals.csv")
	require.NoError(t, os.Remove(csvPath))
	require.NoError(t, os.Symlink(victim, csvPath))

	_, err = WriteAll(dir, r, sc, WriteOptions{})
	require.NoError(t, err)
	got, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(got), "the link's target was written through")
	st, err := os.Lstat(csvPath)
	require.NoError(t, err)
	assert.True(t, st.Mode().IsRegular(), "intervals.csv is still a link: %v", st.Mode())
	var want bytes.Buffer
	require.NoError(t, WriteIntervalsCSV(&want, r))
	data, err := os.ReadFile(csvPath)
	require.NoError(t, err)
	assert.Equal(t, want.String(), string(data))
	left, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "temporary files left behind")

	elsewhere := filepath.Join(root, "elsewhere")
	require.NoError(t, os.Mkdir(elsewhere, 0o755))
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "charts")))
	require.NoError(t, os.Symlink(elsewhere, filepath.Join(dir, "charts")))
	_, err = WriteAll(dir, r, sc, WriteOptions{Force: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a folder")
	inside, err := os.ReadDir(elsewhere)
	require.NoError(t, err)
	assert.Empty(t, inside, "wrote through the charts link")
}

// TestWriteFilesAllOrNothing: when one file cannot be written, none of the
// old files is replaced and no temporary file is left.
func TestWriteFilesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	_, err := WriteFiles(dir, map[string][]byte{"a.csv": []byte("old a"), "b/c.csv": []byte("old c")})
	require.NoError(t, err)
	// "b" becomes a file, so b/c.csv cannot be written.
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "b")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b"), []byte("in the way"), 0o644))
	_, err = WriteFiles(dir, map[string][]byte{"a.csv": []byte("new a"), "b/c.csv": []byte("new c")})
	require.Error(t, err)
	got, err := os.ReadFile(filepath.Join(dir, "a.csv"))
	require.NoError(t, err)
	assert.Equal(t, "old a", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "a.csv and b only: %v", entries)
}

// TestCSVNamesAreNotFormulas: a channel named like a formula is written as
// text (a leading apostrophe), while figures, negative ones included, are
// left as numbers.
func TestCSVNamesAreNotFormulas(t *testing.T) {
	for name, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1":                       "'+1",
		"-2":                       "'-2",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tphone":                  "'\tphone",
		"\rphone":                  "'\rphone",
		"phone":                    "phone",
		"":                         "",
	} {
		assert.Equal(t, want, textCell(name), "%q", name)
	}

	r, _ := fixture()
	for i := range r.Intervals {
		if r.Intervals[i].Channel == r.Intervals[0].Channel {
			r.Intervals[i].Channel = "=cmd|' /C calc'!A0"
		}
	}
	var b bytes.Buffer
	require.NoError(t, WriteIntervalsCSV(&b, r))
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "'=cmd|' /C calc'!A0", rows[1][1])
}
