package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// splitmix64 is a strong 64-bit mixer, used to derive stream seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// streamSeed derives the seed of one random stream from the run's seed, the
// replication and a purpose such as "arrive/chat".
func streamSeed(seed uint64, rep int, purpose string) (uint64, uint64) {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	p := h.Sum64()
	a := splitmix64(seed ^ splitmix64(uint64(rep)+0x632be59bd9b4e019))
	b := splitmix64(a ^ p)
	return splitmix64(b), splitmix64(b ^ 0xda3e39cb94b95bdb)
}

// stream is one independent random stream: a PCG source and a Rand over
// it. The source is what distributions draw from.
type stream struct {
	src *rand.PCG
	*rand.Rand
}

func newStream(seed uint64, rep int, purpose string) stream {
	s1, s2 := streamSeed(seed, rep, purpose)
	src := rand.NewPCG(s1, s2)
	return stream{src: src, Rand: rand.New(src)}
}

// hashUniform is a uniform draw in [0,1) fixed by its inputs alone, for
// decisions that two events must agree on without shared state (is this
// agent absent on this day?).
func hashUniform(seed uint64, rep int, a, b uint64) float64 {
	x := splitmix64(seed ^ splitmix64(uint64(rep)^0x5851f42d4c957f2d))
	x = splitmix64(x ^ a)
	x = splitmix64(x ^ (b * 0x9e3779b97f4a7c15))
	return float64(x>>11) / (1 << 53)
}
