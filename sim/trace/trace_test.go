package trace

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKindNamesRoundTrip(t *testing.T) {
	for _, k := range Kinds() {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back Kind
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, k, back)
	}
	assert.Len(t, Kinds(), 11)
	_, err := Kind(0).MarshalText()
	assert.Error(t, err, "the zero kind is not written")
	assert.True(t, Resolved.Ends() && Abandoned.Ends() && DeflectedDone.Ends())
	assert.False(t, Created.Ends() || Escalated.Ends())
}

func TestWriteThenRead(t *testing.T) {
	in := []Action{
		{T: 0, Ticket: 1, Kind: Created, Channel: "chat", Category: "returns", Priority: "normal"},
		{T: 1.5, Ticket: 1, Kind: Escalated, Channel: "chat", Category: "returns", Priority: "normal", From: "representative", To: "specialist"},
		{T: 2, Ticket: 1, Kind: Resolved, Channel: "chat", Category: "returns", Priority: "normal", Tier: "specialist", Agent: "specialist-1"},
	}
	var b bytes.Buffer
	w := NewWriter(&b)
	for _, a := range in {
		require.NoError(t, w.Write(a))
	}
	assert.Zero(t, b.Len(), "small traces stay buffered until Flush")
	require.NoError(t, w.Flush())
	assert.Contains(t, b.String(), `"action":"escalated"`)
	assert.Equal(t, 3, strings.Count(b.String(), "\n"))

	seq, errf := Read(&b, "t.jsonl")
	got := slices.Collect(seq)
	require.NoError(t, errf())
	assert.Equal(t, in, got)
}

func TestReadRejectsWhatItCannotUse(t *testing.T) {
	cases := map[string]string{
		`{"t":1,"ticket":1,"action":"teleported"}`:                         `t.jsonl:2: unknown action "teleported"`,
		`{"t":1,"ticket":1}`:                                               `t.jsonl:2: missing "action"`,
		`{"t":1,"ticket":1,"action":"created","colour":"red"}`:             `t.jsonl:2: json: unknown field "colour"`,
		`{"t":"soon","ticket":1,"action":"created"}`:                       `t.jsonl:2: field "t"`,
		`{"t":0.5,"ticket":1,"action":"created"}`:                          `t.jsonl:2: time 0.5 is before the previous action's 1`,
		`{"t":1,"ticket":0,"action":"created"}`:                            `t.jsonl:2: missing or non-positive "ticket"`,
		`{"t":1,"ticket":1,"action":"created"}{"t":1}`:                     `t.jsonl:2: more than one JSON value`,
		`{"t":1,"ticket":1,"action":"created","channel":"chat"` /* cut */ : `t.jsonl:2: unexpected EOF`,
	}
	for line, want := range cases {
		src := `{"t":1,"ticket":1,"action":"created"}` + "\n" + line + "\n"
		seq, errf := Read(strings.NewReader(src), "t.jsonl")
		n := len(slices.Collect(seq))
		err := errf()
		require.Error(t, err, line)
		assert.Contains(t, err.Error(), want, line)
		assert.Equal(t, 1, n, "the good first line is still yielded")
	}
}

// A trace starts in the warm-up, at negative times.
func TestReadAcceptsTheWarmup(t *testing.T) {
	src := `{"t":-7200,"ticket":1,"action":"created"}` + "\n" + `{"t":-10.5,"ticket":1,"action":"abandoned"}` + "\n"
	seq, errf := Read(strings.NewReader(src), "t.jsonl")
	assert.Len(t, slices.Collect(seq), 2)
	assert.NoError(t, errf())
}

func TestReadStopsWhenAsked(t *testing.T) {
	src := strings.Repeat(`{"t":1,"ticket":1,"action":"created"}`+"\n\n", 5)
	seq, errf := Read(strings.NewReader(src), "t.jsonl")
	n := 0
	for range seq {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
	assert.NoError(t, errf())
}
