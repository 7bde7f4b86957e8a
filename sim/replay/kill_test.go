package replay

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestKill9Child is the replay process that TestKill9Resume kills; it does
// nothing unless started by it.
func TestKill9Child(t *testing.T) {
	u, path := os.Getenv("SLASIM_KILL_URL"), os.Getenv("SLASIM_KILL_JOURNAL")
	if u == "" {
		t.Skip("child of TestKill9Resume")
	}
	j, err := OpenJournal(path, Header{RunID: "k9", Helpdesk: "fake"})
	if err != nil {
		t.Fatal(err)
	}
	ad := &fakeAdapter{h: &HTTP{Client: NewClient(ClientOptions{})}, url: u}
	Run(context.Background(), slices.Values(lifecycle(150, 0.01)), ad, WithPacer(SpeedPacer{1}),
		WithJournal(j), WithMapping(Mapping{RunID: "k9"}), Timeout(time.Second))
	j.Close()
}

// TestKill9Resume kills a replay process with SIGKILL in mid-run, resumes
// from its journal and checks at the helpdesk that every operation arrived
// exactly once.
func TestKill9Resume(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	h := newFakeHelpdesk(t)
	h.delay = func(Op) time.Duration { return 3 * time.Millisecond }
	path := filepath.Join(t.TempDir(), "k9.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Child$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SLASIM_KILL_URL="+h.srv.URL, "SLASIM_KILL_JOURNAL="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.mu.Lock()
		n := h.requests
		h.mu.Unlock()
		if n >= 300 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child sent only %d requests in 20s", n)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	st, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed: %d done, %d in doubt, torn last line %v", len(st.Done), len(st.InDoubt), st.Torn)
	acts := lifecycle(150, 0.01)
	j, err := OpenJournal(path, Header{RunID: "k9", Helpdesk: "fake", Resumed: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Run(context.Background(), slices.Values(acts), h.adapter(), WithPacer(SpeedPacer{100}), WithJournal(j),
		WithMapping(Mapping{RunID: "k9"}), Resume(st), Timeout(time.Second))
	j.Close()
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Summary(); s.Failed != 0 {
		t.Fatalf("resumed run errors: %v", s.ErrorClasses)
	}
	want := map[string]int{}
	mp := NewMapper(Mapping{RunID: "k9"})
	for i, a := range acts {
		for _, o := range mp.Ops(i, a) {
			want[o.Nonce+"/"+string(o.Kind)]++
		}
	}
	assertAppliedOnce(t, want, h.counts())
}

// assertAppliedOnce checks that the helpdesk applied exactly the operations
// wanted (nonce/kind), each as many times as wanted.
func assertAppliedOnce(t *testing.T, want, got map[string]int) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s applied %d times, want %d", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d distinct operations applied, want %d", len(got), len(want))
	}
}
