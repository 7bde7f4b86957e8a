package sim

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// The heap pops in (time, insertion) order, ties included.
func TestEventHeapOrder(t *testing.T) {
	var q eventHeap
	r := rand.New(rand.NewPCG(1, 2))
	type key struct {
		t   float64
		seq uint64
	}
	var want []key
	for i := 0; i < 5000; i++ {
		tm := float64(r.IntN(300)) // many ties
		q.push(tm, evArrive, int32(i), 0)
		want = append(want, key{tm, q.seq})
		if i%7 == 0 { // interleave pops with pushes
			sort.Slice(want, func(a, b int) bool {
				return want[a].t < want[b].t || (want[a].t == want[b].t && want[a].seq < want[b].seq)
			})
			e := q.pop()
			require.Equal(t, want[0], key{e.t, e.seq})
			want = want[1:]
		}
	}
	sort.Slice(want, func(a, b int) bool {
		return want[a].t < want[b].t || (want[a].t == want[b].t && want[a].seq < want[b].seq)
	})
	for _, w := range want {
		e := q.pop()
		require.Equal(t, w, key{e.t, e.seq})
	}
	require.Zero(t, q.len())
}
