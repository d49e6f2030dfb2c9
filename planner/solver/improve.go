package solver

import (
	"math"
	"sort"
	"time"
)

// improveRounds caps the local-search rounds over the incumbent's sites.
const improveRounds = 3

// improve is a local search on the incumbent's site choice: change a
// park's specialty, close a park, open a closed candidate (in a year its
// quota and budget allow), each followed by placing all firms again; the
// first improving move of each kind is kept and the search repeats. It
// stops at done() (time, cancellation, node limit).
func (sr *search) improve(r *relaxation, done func() bool) {
	m := sr.m
	inst := m.inst
	for round := 0; round < improveRounds && sr.best != nil; round++ {
		start := sr.bestObj
		base := sr.best
		try := func(year, spec []int) bool {
			if done() {
				return false
			}
			sr.nodes++
			return sr.tryChoice(r, year, spec)
		}
		copyOf := func() ([]int, []int) {
			return append([]int(nil), base.Year...), append([]int(nil), base.Specialty...)
		}
		// Specialty changes.
		for s, site := range inst.Sites {
			if base.Year[s] < 0 || site.Locked {
				continue
			}
			for k := range site.Specialties {
				if k == base.Specialty[s] {
					continue
				}
				y, sp := copyOf()
				sp[s] = k
				if try(y, sp) {
					base = sr.best
				}
			}
		}
		// Closing a park.
		for s, site := range inst.Sites {
			if base.Year[s] < 0 || site.Locked {
				continue
			}
			y, sp := copyOf()
			y[s] = -1
			if try(y, sp) {
				base = sr.best
			}
		}
		// Opening a closed candidate, latest year first (early years are
		// scarce for the target), with its best specialty.
		var closed []int
		for s, site := range inst.Sites {
			if base.Year[s] < 0 && !site.Locked {
				closed = append(closed, s)
			}
		}
		sort.SliceStable(closed, func(a, b int) bool { return r.w[closed[a]] > r.w[closed[b]] })
		for _, s := range closed {
			for t := m.nT - 1; t >= 0; t-- {
				y, sp := copyOf()
				y[s], sp[s] = t, r.kBest[s]
				if try(y, sp) {
					base = sr.best
					break
				}
			}
		}
		if done() || !(sr.bestObj > start+1e-9*math.Max(1, math.Abs(start))) {
			return
		}
	}
}

// improveDone is the local search's stop test: the caller's limit, ctx,
// the node limit, or the gap target met.
func (sr *search) improveDone(limit time.Time) func() bool {
	return func() bool {
		return sr.ctx.Err() != nil || time.Now().After(limit) || sr.nodeLimitHit() || sr.gapMet(sr.bound)
	}
}
