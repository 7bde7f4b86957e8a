package replay

import "fmt"

// ResumeCheck is what a resumed run must share with the run its journal
// recorded.
type ResumeCheck struct {
	Helpdesk   string
	MaxTickets int
	RunID      string // "" takes the journal's
}

// CheckResume verifies that a run can continue the one recorded in st
// (same helpdesk, same ticket selection, same run id) and returns the run
// id to use: the journal's.
func CheckResume(st *JournalState, c ResumeCheck) (string, error) {
	h0 := st.Headers[0]
	switch {
	case h0.Helpdesk != c.Helpdesk:
		return "", fmt.Errorf("the journal is of a %s run, not %s", h0.Helpdesk, c.Helpdesk)
	case h0.MaxTickets != c.MaxTickets:
		return "", fmt.Errorf("the journal's run had --max-tickets %d; use the same", h0.MaxTickets)
	case c.RunID != "" && c.RunID != h0.RunID:
		return "", fmt.Errorf("run id %s differs from the journal's %s", c.RunID, h0.RunID)
	}
	return h0.RunID, nil
}
