// Command benchscale is run by scripts/bench-jobs.sh: from the measured
// per-solve figures it simulates 1,000 county solves queued at once on 8,
// 32 and 128 worker machines sharing one PostgreSQL primary, and prints a
// markdown section: time to finish, the primary's CPU use and connections,
// and the number of machines at which the primary becomes the bottleneck.
//
// The model (time steps of 50 ms): each machine works -cores solves at
// once; a free slot takes the next job after half a poll interval on
// average (River polls: no LISTEN over lib/pq); a solve takes -solve-cpu
// seconds on its own core (±10 %, seeded), then its database work
// (-pg-cpu seconds: start, progress, the plan's COPY and commit) runs on
// the primary, which shares -primary-cores cores among the solves saving
// at that moment and the idle load of every worker slot (-idle-pg-cpu per
// slot per second) in proportion to demand (processor sharing) — so when
// the primary saturates, saves queue and slots wait (and a primary that
// the idle polling alone saturates still finishes, slowly).
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
)

// params are the simulation's inputs.
type params struct {
	jobs           int
	machines       int
	cores          int     // solves at once per machine
	solveCPU       float64 // s per solve on one core
	pgCPU          float64 // primary CPU s per solve
	idlePGCPU      float64 // primary CPU s per second per worker slot
	primaryCores   float64
	poll           float64 // s
	connsPerWorker float64 // connections of a worker process at concurrency 1
}

// result is one simulated run.
type result struct {
	makespan    float64 // s
	primaryBusy float64 // mean share of the primary's cores in use
	peakSaving  int     // most solves waiting on the primary at once
	conns       float64
}

const dt = 0.05

func simulate(p params, seed uint64) result {
	rng := rand.New(rand.NewPCG(seed, 1))
	slots := p.machines * p.cores
	type slot struct {
		state     int     // 0 waiting for a poll, 1 solving, 2 saving, 3 idle (no job left)
		remaining float64 // s of the current phase
	}
	ss := make([]slot, slots)
	next := 0
	for i := range ss {
		ss[i].remaining = rng.Float64() * p.poll
	}
	done, t, busy := 0, 0.0, 0.0
	peak := 0
	for done < p.jobs {
		t += dt
		saving := 0
		for i := range ss {
			if ss[i].state == 2 {
				saving++
			}
		}
		peak = max(peak, saving)
		// The primary's cores are shared in proportion to demand: the idle
		// slots' polling and one backend per save (at most one core each).
		// Saturated, every demand slows alike; saves never stop.
		demand := float64(slots)*p.idlePGCPU + float64(saving)
		share := math.Min(1, p.primaryCores/demand)
		busy += math.Min(p.primaryCores, demand) / p.primaryCores * dt
		for i := range ss {
			s := &ss[i]
			switch s.state {
			case 0:
				if s.remaining -= dt; s.remaining <= 0 {
					if next < p.jobs {
						next++
						s.state, s.remaining = 1, p.solveCPU*(0.9+0.2*rng.Float64())
					} else {
						s.state = 3
					}
				}
			case 1:
				if s.remaining -= dt; s.remaining <= 0 {
					s.state, s.remaining = 2, p.pgCPU
				}
			case 2:
				if s.remaining -= share * dt; s.remaining <= 0 {
					done++
					s.state, s.remaining = 0, rng.Float64()*p.poll
				}
			}
		}
	}
	return result{makespan: t, primaryBusy: busy / t, peakSaving: peak, conns: float64(p.machines) * connsPerMachine(p)}
}

func main() {
	var p params
	flag.IntVar(&p.jobs, "jobs", 1000, "solves queued at once")
	flag.IntVar(&p.cores, "cores", 8, "solves at once per worker machine (its cores)")
	flag.Float64Var(&p.solveCPU, "solve-cpu", 12, "CPU s per solve (measured)")
	flag.Float64Var(&p.pgCPU, "pg-cpu", 0.2, "PostgreSQL CPU s per solve (measured)")
	flag.Float64Var(&p.idlePGCPU, "idle-pg-cpu", 0.002, "PostgreSQL CPU s/s per idle worker (measured)")
	flag.Float64Var(&p.primaryCores, "primary-cores", 8, "the primary's cores")
	flag.Float64Var(&p.poll, "poll", 1, "workers' poll interval, s")
	flag.Float64Var(&p.connsPerWorker, "conns", 5, "connections of one worker process at concurrency 1 (measured)")
	flag.Parse()

	fmt.Printf("## Projection: %d county solves queued at once\n\n", p.jobs)
	fmt.Printf("Simulated (scripts/benchscale, 50 ms steps) from the one-worker row above: %.2f CPU s per solve on its\n", p.solveCPU)
	fmt.Printf("worker, %.3f PostgreSQL CPU s per solve, %.4f PostgreSQL CPU s/s per idle worker slot; worker machines of\n", p.pgCPU, p.idlePGCPU)
	fmt.Printf("%d cores working %d solves each, a primary of %.0f cores, 1 s polls.\n\n", p.cores, p.cores, p.primaryCores)
	fmt.Println("| worker machines | solves at once | time to finish | solves/h | primary CPU use | peak saves waiting | connections to the primary |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, m := range []int{8, 32, 128} {
		q := p
		q.machines = m
		r := simulate(q, 1)
		fmt.Printf("| %d | %d | %s | %.0f | %.1f %% | %d | %.0f |\n", m, m*p.cores, minutes(r.makespan),
			float64(p.jobs)/r.makespan*3600, 100*r.primaryBusy, r.peakSaving, r.conns)
	}
	// Saturation: each slot asks pgCPU per (solveCPU + pgCPU) of its cycle, plus its idle load.
	perSlot := p.pgCPU/(p.solveCPU+p.pgCPU+p.poll/2) + p.idlePGCPU
	sat := p.primaryCores / perSlot / float64(p.cores)
	fmt.Println()
	fmt.Printf("The primary's CPU saturates at about %.0f such machines (%.0f solves at once: each slot asks\n", sat, sat*float64(p.cores))
	fmt.Printf("%.4f primary cores on average). Past that, adding workers adds no throughput: saves queue on the\n", perSlot)
	fmt.Printf("primary. Connections bind first: 128 machines hold about %.0f connections (PostgreSQL's default\n", 128*connsPerMachine(p))
	fmt.Println("max_connections is 100); the liveness locks are session locks, so a pooler in front must use session pooling.")
}

// connsPerMachine estimates a worker machine's connections: those
// measured at concurrency 1, plus a liveness lock and a heartbeat or save
// for each further running solve.
func connsPerMachine(p params) float64 { return p.connsPerWorker + 2*float64(p.cores-1) }

func minutes(s float64) string {
	if s < 120 {
		return fmt.Sprintf("%.0f s", s)
	}
	return fmt.Sprintf("%.1f min", s/60)
}
