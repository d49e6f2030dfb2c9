// Command benchprovince measures the provincial solve (docs/province.md)
// on N demo counties (planner/demo, seeds seed, seed+1, …): time to a
// provincial plan and its proven gap with 1 and 2 concurrent county
// solves, the per-county solve times and the projection to many worker
// machines from them, against an equal split of the pool and against CBC
// on the whole province as one model. The pool is -share × what the
// counties use at no price (round 0), per year. It prints Markdown for
// docs/province.md, with the machine's load before and after each figure.
//
//	go run ./scripts/benchprovince -counties 12,30 -conc 1,2 -nodes 300 -pricing-nodes 40
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/province"
)

func main() {
	counties := flag.String("counties", "12,30,90", "province sizes, comma-separated")
	seed := flag.Int64("seed", 2019, "first county's demo seed")
	nodes := flag.Int("nodes", 300, "node limit of the county solves (with -pricing-nodes: of the bound round and the final re-solves)")
	rounds := flag.Int("rounds", 3, "most pricing rounds")
	share := flag.Float64("share", 0.5, "pool = share × the counties' new land at no price, per year")
	concs := flag.String("conc", "1,2", "concurrent county solves to time, comma-separated")
	cbcMax := flag.Int("cbc-max", 0, "run CBC on the whole province up to this many counties")
	cbcLimit := flag.Duration("cbc-limit", 5*time.Minute, "CBC's time limit")
	workers := flag.String("workers", "8,32,90", "worker machines to project to")
	gap := flag.Float64("gap", 0.02, "provincial gap target that ends the pricing")
	pricingNodes := flag.Int("pricing-nodes", 40, "node limit of the pricing rounds' county solves (0: -nodes for all)")
	capShare := flag.Float64("cap-share", 0, "when > 0, a province-wide max_new_land_parks of cap-share × the parks on new land the counties open at no price")
	flag.Parse()
	for _, n := range ints(*counties) {
		if err := bench(n, *seed, *nodes, *pricingNodes, *rounds, *share, *capShare, *gap, ints(*concs), *cbcMax, *cbcLimit, ints(*workers)); err != nil {
			fmt.Fprintln(os.Stderr, "benchprovince:", err)
			os.Exit(1)
		}
	}
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err == nil {
			out = append(out, v)
		}
	}
	return out
}

// cpu is the CPU time (user + system) this process and its finished
// children (the cbc processes of the LP prices) have used: under the
// other sessions' load the wall clock is inflated several times, the CPU
// time hardly.
func cpu() time.Duration {
	total := time.Duration(0)
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

// load is the 1-minute load average, from /proc/loadavg.
func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

func bench(n int, seed int64, nodes, pricingNodes, rounds int, share, capShare, gap float64, concs []int, cbcMax int, cbcLimit time.Duration, workers []int) error {
	ctx := context.Background()
	p, err := province.DemoProvince(n, seed)
	if err != nil {
		return err
	}
	ps, m0, err := benchScenario(ctx, p, nodes, pricingNodes, share, capShare)
	if err != nil {
		return err
	}
	fmt.Printf("\n### %d demo counties (seeds from %d), node limit %d (pricing rounds: %d), at most %d pricing rounds, gap target %.1f %%, pool %.0f %% of the unpriced use\n\n", n, seed, nodes, max(pricingNodes, 0), rounds, 100*gap, 100*share)
	fmt.Printf("pool per year (mu): %v\n\n", poolText(ps))
	if ps.MaxNewLandParks >= 0 {
		fmt.Printf("province-wide max_new_land_parks: %d (%.0f %% of the unpriced plans' parks on new land)\n\n", ps.MaxNewLandParks, 100*capShare)
	}
	fmt.Println("| concurrent county solves | time to plan | CPU time | rounds | objective | bound | gap | firms housed | load before → after |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var best *province.Outcome
	var bestCPU time.Duration
	for _, c := range concs {
		before := load()
		start, cpu0 := time.Now(), cpu()
		var solver planner.CountySolver = &province.InProcess{Datasets: p.Datasets, Concurrency: c}
		extra, extraCPU := time.Duration(0), time.Duration(0)
		if len(concs) == 1 && c == 2 {
			// round 0 is the solves that set the pool (at GOMAXPROCS = 2)
			m0.inner, solver, extra, extraCPU = solver, m0, m0.took, m0.cpu
		}
		out, err := province.Solve(ctx, ps, p, province.Options{Solver: solver, MaxRounds: rounds, GapTarget: gap, PricingNodeLimit: pricingNodes,
			Progress: func(r province.Round) {
				fmt.Fprintf(os.Stderr, "%d counties, %d concurrent: round %d bound %.0f plan %v objective %.0f at %s, load %s\n", n, c, r.Round, r.Bound, r.Plan, r.Objective, r.Elapsed.Round(time.Second), load())
			}})
		if err != nil {
			return err
		}
		r := out.Result
		fmt.Printf("| %d | %s | %s | %d | %.0f | %.0f | %.2f %% | %d | %s → %s |\n", c, (time.Since(start) + extra).Round(time.Second), (cpu() - cpu0 + extraCPU).Round(time.Second), r.Iterations, r.Objective, r.Bound, 100*r.Gap, r.KPI.FirmsPlaced, before, load())
		if ps.MaxNewLandParks >= 0 {
			fmt.Printf("\nparks on new land %d (cap %d), price %.3f per park; warnings %q\n\n", r.NewLandParksOpen, ps.MaxNewLandParks, r.NewLandParkPrice, r.Warnings)
		}
		best, bestCPU = out, cpu()-cpu0+extraCPU
	}
	fmt.Printf("\n| round | bound | best plan's objective | gap | at |\n|---|---|---|---|---|\n")
	for _, rd := range best.Rounds {
		g := "—"
		if rd.Plan && rd.Proven {
			g = fmt.Sprintf("%.2f %%", 100*(rd.Bound-rd.Objective)/math.Max(1, math.Abs(rd.Bound)))
		}
		fmt.Printf("| %d | %.0f | %.0f | %s | %s |\n", rd.Round, rd.Bound, rd.Objective, g, rd.Elapsed.Round(time.Second))
	}
	fmt.Printf("\nper round, each county solve's time (min / median / max):")
	for i, rt := range best.SolveTimes {
		s := append([]time.Duration(nil), rt...)
		sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
		fmt.Printf(" r%d %s / %s / %s;", i, q(s, 0), q(s, 0.5), q(s, 1))
	}
	fmt.Println()
	times := flat(best.SolveTimes)
	fmt.Printf("\nper-county solve time (%d solves): min %s, median %s, p90 %s, max %s, sum %s\n\n",
		len(times), q(times, 0), q(times, 0.5), q(times, 0.9), q(times, 1), sum(times).Round(time.Second))
	// The solves' wall-clock times are inflated by the other sessions'
	// load; deflate scales them by the CPU time the run used over their
	// sum (each solve is one thread's work): what they would take each on
	// a machine of its own.
	deflate := math.Min(1, float64(bestCPU)/float64(sum(times)))
	fmt.Printf("CPU time of the run over the solves' summed wall clock: %.2f (the deflation of the second projection)\n\n", deflate)
	fmt.Println("| worker machines | projected time (rounds' solves, measured wall clock, longest first) | projected, solve times deflated to CPU time |")
	fmt.Println("|---|---|---|")
	for _, w := range workers {
		total := time.Duration(0)
		for _, rt := range best.SolveTimes {
			total += makespan(rt, w)
		}
		fmt.Printf("| %d | %s | %s |\n", w, total.Round(100*time.Millisecond), time.Duration(deflate*float64(total)).Round(100*time.Millisecond))
	}

	if ps.MaxNewLandParks >= 0 {
		// the equal split shares the pool only: it would break the cap
		fmt.Printf("\nequal split: not run under a province-wide cap\n")
		return nil
	}
	// Equal split of the pool (the naive policy).
	before, cpu0 := load(), cpu()
	r := best.Result
	req := map[string]map[int]float64{}
	for _, a := range r.Allocation {
		if req[a.County] == nil {
			req[a.County] = map[int]float64{}
		}
		req[a.County][a.Year] = a.RequestMu
	}
	eq, err := equalSplit(ctx, ps, p, req)
	if err != nil {
		return err
	}
	fmt.Printf("\n| policy | objective | firms housed | parks | new land mu | load |\n|---|---|---|---|---|---|\n")
	fmt.Printf("| optimised allocation | %.0f | %d | %d | %.0f | |\n", r.Objective, r.KPI.FirmsPlaced, r.KPI.ParksTotal, r.KPI.NewLandMu)
	fmt.Printf("| equal split (CPU %s) | %.0f | %d | %d | %.0f | %s → %s |\n", (cpu() - cpu0).Round(time.Second), eq.objective, eq.firms, eq.parks, eq.newLand, before, load())
	for _, np := range eq.noPlan {
		fmt.Printf("\nequal split: **no plan** for county %s (its objective and firms count 0 above)\n", np)
	}
	fmt.Printf("\noptimised − equal split: %+.0f objective (%+.2f %%), %+d firms housed\n", r.Objective-eq.objective, 100*(r.Objective-eq.objective)/math.Abs(eq.objective), r.KPI.FirmsPlaced-eq.firms)
	if len(eq.without) > 0 {
		// the same difference over the counties where the equal split has a plan
		obj, firms := r.Objective, r.KPI.FirmsPlaced
		for _, c := range r.Counties {
			for _, w := range eq.without {
				if c.County == w {
					obj -= c.Objective
					firms -= c.FirmsHoused
				}
			}
		}
		fmt.Printf("\nover the %d counties where the equal split has a plan: optimised − equal split %+.0f objective (%+.2f %%), %+d firms housed\n",
			len(r.Counties)-len(eq.without), obj-eq.objective, 100*(obj-eq.objective)/math.Abs(eq.objective), firms-eq.firms)
	}

	if n <= cbcMax {
		before := load()
		whole := ps.County
		whole.NodeLimit = 0
		whole.TimeLimit = planner.Duration{Duration: cbcLimit}
		whole.CountyAllocation = map[int]float64{}
		for _, pl := range ps.Pool {
			whole.CountyAllocation[pl.Year] = pl.NewLandMu
		}
		start, cpu0 := time.Now(), cpu()
		inst, err := planner.BuildInstance(province.Merge(p), whole)
		if err != nil {
			return err
		}
		m := mps.Build(inst)
		// CBC checks its limit between phases: a root LP that overruns it
		// is stopped at twice the limit (then neither plan nor bound).
		cctx, cancel := context.WithTimeout(ctx, 2*cbcLimit)
		res, err := cbc.Run(cctx, m, cbc.Options{TimeLimit: cbcLimit})
		cancel()
		el, cp := time.Since(start).Round(time.Second), (cpu() - cpu0).Round(time.Second)
		size := fmt.Sprintf("%d sites, %d arcs, %d rows, %d columns", len(inst.Sites), len(inst.Arcs), len(m.Rows), len(m.Columns))
		if err != nil {
			fmt.Printf("\nCBC on the whole province as one model (%s), %s limit: **no plan, no bound** (%v) after %s (CPU %s); load %s → %s\n", size, cbcLimit, err, el, cp, before, load())
		} else {
			fmt.Printf("\nCBC on the whole province as one model (%s), %s limit: status %s, objective %.0f, bound %.0f, LP bound %.0f, %d nodes, after %s (CPU %s); parkplan: objective %.0f, bound %.0f; load %s → %s\n",
				size, cbcLimit, res.Status, res.Objective, res.Bound, res.LPBound, res.Nodes, el, cp, best.Result.Objective, best.Result.Bound, before, load())
		}
	} else {
		fmt.Printf("\nCBC on the whole province: not run above %d counties (-cbc-max)\n", cbcMax)
	}
	return nil
}

// benchScenario is the benchmark's province: the seed's county rules
// without the per-county target and new-land cap (the province's pool
// takes the cap's place), node-limited; the pool is share × what the
// counties use at no price.
func benchScenario(ctx context.Context, p *province.Province, nodes, pricingNodes int, share, capShare float64) (*planner.ProvinceScenario, *memo, error) {
	sc := planner.Defaults()
	sc.TargetParks = 0
	sc.MaxNewLandParks = -1
	sc.NodeLimit = nodes
	sc.TimeLimit = planner.Duration{Duration: 10 * time.Minute}
	ps := &planner.ProvinceScenario{Name: fmt.Sprintf("bench-%d", len(p.Counties)), County: sc, MaxNewLandParks: -1}
	var tasks []planner.CountyTask
	for _, code := range p.Codes() {
		c := sc
		c.Name = ps.Name + "/" + code
		if pricingNodes > 0 {
			c.NodeLimit = pricingNodes // round 0's solves
		}
		tasks = append(tasks, planner.CountyTask{County: code, Scenario: c})
	}
	start, cpu0 := time.Now(), cpu()
	res, err := (&province.InProcess{Datasets: p.Datasets}).SolveCounties(ctx, tasks)
	if err != nil {
		return nil, nil, err
	}
	m := &memo{inner: &province.InProcess{Datasets: p.Datasets}, seen: map[string]planner.CountyResult{}, took: time.Since(start), cpu: cpu() - cpu0}
	use := map[int]float64{}
	newLandParks := 0
	for i, r := range res {
		if r.Plan == nil {
			return nil, nil, fmt.Errorf("county %s: %s", r.County, r.Err)
		}
		m.seen[memoKey(tasks[i])] = r
		for _, pk := range r.Plan.Parks {
			if pk.Kind == planner.KindNewLand {
				newLandParks++
			}
		}
		for _, ts := range r.Plan.Towns {
			for y, u := range ts.NewLandUsedMu {
				use[y] += u
			}
		}
	}
	for y := sc.FirstYear; y <= sc.LastYear; y++ {
		ps.Pool = append(ps.Pool, planner.PoolYear{Year: y, NewLandMu: math.Round(share * use[y])})
	}
	if capShare > 0 {
		ps.MaxNewLandParks = int(math.Round(capShare * float64(newLandParks)))
	}
	return ps, m, ps.Validate()
}

// memo answers the coordinator's round 0 (the same tasks, price 0) from
// the solves that set the pool, and the rest through inner; took is what
// those solves took, added to the time to plan.
type memo struct {
	inner planner.CountySolver
	seen  map[string]planner.CountyResult
	took  time.Duration
	cpu   time.Duration // the CPU time those solves took
}

func memoKey(t planner.CountyTask) string {
	b, _ := json.Marshal(t.Scenario)
	return t.County + string(b)
}

func (m *memo) SolveCounties(ctx context.Context, tasks []planner.CountyTask) ([]planner.CountyResult, error) {
	out := make([]planner.CountyResult, len(tasks))
	var todo []planner.CountyTask
	var at []int
	for i, t := range tasks {
		if r, ok := m.seen[memoKey(t)]; ok {
			r.Round = t.Round
			out[i] = r
			continue
		}
		todo = append(todo, t)
		at = append(at, i)
	}
	if len(todo) > 0 {
		res, err := m.inner.SolveCounties(ctx, todo)
		if err != nil {
			return nil, err
		}
		for j, r := range res {
			out[at[j]] = r
		}
	}
	return out, nil
}

func poolText(ps *planner.ProvinceScenario) string {
	var parts []string
	for _, p := range ps.Pool {
		parts = append(parts, fmt.Sprintf("%d: %.0f", p.Year, p.NewLandMu))
	}
	return strings.Join(parts, ", ")
}

type policy struct {
	objective    float64
	firms, parks int
	newLand      float64
	noPlan       []string // counties without a plan under their share, with the reason
	without      []string // their codes
}

// equalSplit solves every county under its equal share of each year's
// pool — the naive policy, made sensible: pool/N per county, clipped to
// the county's floor and to the least of its cap and its request (its
// towns' quotas: more is of no use to it), the pool so freed spread
// equally over the counties still below their clip (waterFill); no price.
func equalSplit(ctx context.Context, ps *planner.ProvinceScenario, p *province.Province, req map[string]map[int]float64) (policy, error) {
	codes := p.Codes()
	share := map[string]map[int]float64{}
	for _, code := range codes {
		share[code] = map[int]float64{}
	}
	for _, pl := range ps.Pool {
		lo := make([]float64, len(codes))
		hi := make([]float64, len(codes))
		for i, code := range codes {
			sh, _ := ps.Share(code, pl.Year)
			lo[i], hi[i] = sh.FloorMu, req[code][pl.Year]
			if sh.CapMu > 0 {
				hi[i] = math.Min(hi[i], sh.CapMu)
			}
			hi[i] = math.Max(hi[i], lo[i])
		}
		for i, a := range waterFill(pl.NewLandMu, lo, hi) {
			share[codes[i]][pl.Year] = a
		}
	}
	var tasks []planner.CountyTask
	for _, code := range codes {
		sc, err := ps.CountyScenario(code)
		if err != nil {
			return policy{}, err
		}
		sc.CountyAllocation = share[code]
		tasks = append(tasks, planner.CountyTask{County: code, Scenario: sc})
	}
	res, err := (&province.InProcess{Datasets: p.Datasets}).SolveCounties(ctx, tasks)
	if err != nil {
		return policy{}, err
	}
	var out policy
	for _, r := range res {
		if r.Plan == nil || r.Err != "" {
			out.noPlan = append(out.noPlan, r.County+": "+r.Err)
			out.without = append(out.without, r.County)
			continue
		}
		out.objective += r.Plan.Solve.Objective
		out.firms += r.Plan.KPI.FirmsPlaced
		out.parks += r.Plan.KPI.ParksTotal
		out.newLand += r.Plan.KPI.NewLandMu
	}
	return out, nil
}

// waterFill shares pool equally among counties each held within [lo, hi]:
// every county gets clamp(L, lo, hi) for the level L at which the shares
// sum to the pool (all at hi when the pool exceeds Σ hi; all at lo when
// it is below Σ lo), found by bisection on L.
func waterFill(pool float64, lo, hi []float64) []float64 {
	at := func(level float64) ([]float64, float64) {
		out := make([]float64, len(lo))
		sum := 0.0
		for i := range lo {
			out[i] = math.Min(hi[i], math.Max(lo[i], level))
			sum += out[i]
		}
		return out, sum
	}
	a, b := 0.0, pool
	for _, h := range hi {
		b = math.Max(b, h)
	}
	for i := 0; i < 100; i++ {
		mid := (a + b) / 2
		if _, s := at(mid); s > pool {
			b = mid
		} else {
			a = mid
		}
	}
	out, _ := at(a)
	return out
}

func flat(rs [][]time.Duration) []time.Duration {
	var out []time.Duration
	for _, r := range rs {
		out = append(out, r...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func q(s []time.Duration, f float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	return s[int(math.Round(f*float64(len(s)-1)))].Round(10 * time.Millisecond)
}

func sum(s []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range s {
		t += d
	}
	return t
}

// makespan is the time w machines take for one round's solves, handed
// out longest first to the machine free first (one solve per machine at
// a time, the worker's concurrency 1).
func makespan(round []time.Duration, w int) time.Duration {
	s := append([]time.Duration(nil), round...)
	sort.Slice(s, func(i, j int) bool { return s[i] > s[j] })
	free := make([]time.Duration, w)
	for _, d := range s {
		k := 0
		for i := range free {
			if free[i] < free[k] {
				k = i
			}
		}
		free[k] += d
	}
	m := time.Duration(0)
	for _, f := range free {
		m = max(m, f)
	}
	return m
}
