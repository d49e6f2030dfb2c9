package province

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// Options tune Solve.
type Options struct {
	// Solver solves each round's county tasks; nil means InProcess on the
	// province's datasets with GOMAXPROCS concurrent solves.
	Solver planner.CountySolver
	// MaxRounds bounds the pricing rounds (0: DefaultRounds). Each round
	// solves every county once.
	MaxRounds int
	// GapTarget ends the pricing once the provincial gap is at most this
	// (0: DefaultGapTarget).
	GapTarget float64
	// PricingNodeLimit, when > 0, is the node limit of the county solves
	// in the pricing rounds (below the county scenario's own: cheap
	// rounds that find the prices); one round at the prices of the best
	// bound and the final re-solves under the allocation then use the
	// county scenario's node limit. 0: every solve at the scenario's.
	PricingNodeLimit int
	// RunID names the run in the county tasks (CountyTask.Province).
	RunID string
	// DatasetRevision is put in every county task (0: not from a store).
	DatasetRevision int
	// Progress, when set, is called after every round.
	Progress func(Round)
}

// Defaults of Options.
const (
	DefaultRounds    = 10
	DefaultGapTarget = 0.01
)

// Tolerances.
const (
	// poolTol is the slack, mu, within which the counties' use fits the
	// pool (the rule checker's absolute slack).
	poolTol = 1e-6
	// minStartPrice is the least price step, objective units per mu, when
	// round 0's plans say nothing of a mu's value.
	minStartPrice = 0.05
	// maxFlatRounds ends the pricing after this many rounds in a row
	// without a better bound: the rest of the gap is then mostly the
	// counties' own (their bounds at the prices).
	maxFlatRounds = 4
	// initialRadius is the first trust region's radius as a share of
	// the price step (startPrices): measured on the demo provinces
	// (docs/province.md) a round at the full step put the bound 11 %
	// above the unpriced one, and the best prices were far below it.
	initialRadius = 0.25
)

// Round is one pricing round's figures.
type Round struct {
	Round  int                 `json:"round"`
	Prices []planner.PoolPrice `json:"prices"`
	// TargetPrice and NewLandParkPrice are the round's prices on the
	// province-wide target (a bonus per park open by its year) and
	// new-land cap (per park on new land); 0 without those rows.
	TargetPrice      float64       `json:"target_price,omitempty"`
	NewLandParkPrice float64       `json:"new_land_park_price,omitempty"`
	DemandMu         []float64     `json:"demand_mu"` // per pool year: Σ over counties of max(floor, use)
	Bound            float64       `json:"bound"`     // provincial bound at the round's prices (0 when a county had none: Proven false)
	Proven           bool          `json:"proven"`    // every county gave a bound at the round's prices
	Plan             bool          `json:"plan"`      // some choice of the plans so far fits the pool
	Objective        float64       `json:"objective"` // the best such choice's objective (0 without)
	Elapsed          time.Duration `json:"elapsed_ns"`
}

// Outcome is a provincial plan: the result, and each county's plan with
// the county scenario it keeps (its allocation as county_allocation), for
// saving as ordinary scenarios and for planner/rules.
type Outcome struct {
	Result     *planner.ProvinceResult
	Plans      map[string]*planner.Plan    // by county code
	Scenarios  map[string]planner.Scenario // by county code
	Rounds     []Round
	SolveTimes [][]time.Duration // per round (pricing, then re-solves), each county solve's time, for the benchmarks
}

// column is one county plan a round produced: what it uses of the pool
// and what it is worth.
type column struct {
	round int
	price []float64 // the prices it was solved at: per horizon year, then the target's and the cap's (sharedRow.price)
	plan  *planner.Plan
	use   []float64 // new land per horizon year, mu
	value float64   // objective without the price terms
	bound float64   // the solve's bound on the priced objective
	alloc []float64 // the county allocation it was solved under (nil: none beyond caps)
	light bool      // solved at Options.PricingNodeLimit, below the county scenario's
	// byTarget and newLandParks count its parks open by the province's
	// target year and on new land (countParks).
	byTarget, newLandParks int
}

// county is one county's data during a solve.
type county struct {
	code    string
	ds      *planner.Dataset
	sc      planner.Scenario // from the province scenario, before prices and allocation
	floor   []float64        // per horizon year, mu
	cap     []float64        // per horizon year, mu; +Inf when none
	request []float64        // per horizon year: start_mu, else the towns' quotas
	cols    []*column
	pick    *column
	alloc   []float64 // the province's allocation per horizon year (pool years)
	lastErr string
}

// coordinator is one Solve's state.
type coordinator struct {
	ps     *planner.ProvinceScenario
	opts   Options
	years  []int
	inPool []bool    // per horizon year
	pool   []float64 // per horizon year
	rows   []sharedRow
	// targetYear is the province-wide target's year (ps.TargetYear,
	// else the county section's).
	targetYear int
	nPrice     int       // length of a price vector: the horizon years, the target, the cap
	scale      []float64 // per price index, the price step (startPrices)
	counties   []*county
	start      time.Time
	out        *Outcome
	bestBound  float64
	// finalPrice are the prices of the round with the best bound
	// (indexed as sharedRow.price).
	finalPrice []float64
	bestObj    float64   // the best choice of plans that fits the pool (NaN: none yet)
	resolves   int       // rounds of re-solves after the pricing
	allocCols  []*column // the allocation round's plans, per county (nil: none)
}

// Solve makes a provincial plan for ps on p (docs/province.md): prices
// on the pool moved by projected subgradient steps (the provincial bound
// at each round's prices), the plan assembled from the rounds' county
// plans so that the pool holds, the pool's rest to the counties of
// highest marginal value, re-solved. Errors: EINVALID naming
// the field when ps names a county p lacks; planner.ErrNoPlan (wrapped,
// naming the county) when a county has no plan in any round or no
// choice of county plans fits the pool; ctx's error when cancelled.
func Solve(ctx context.Context, ps *planner.ProvinceScenario, p *Province, opts Options) (*Outcome, error) {
	if opts.MaxRounds <= 0 {
		opts.MaxRounds = DefaultRounds
	}
	if opts.GapTarget <= 0 {
		opts.GapTarget = DefaultGapTarget
	}
	if opts.Solver == nil {
		opts.Solver = &InProcess{Datasets: p.Datasets}
	}
	co := &coordinator{ps: ps, opts: opts, start: time.Now(), bestBound: math.Inf(1), bestObj: math.NaN(),
		out: &Outcome{Plans: map[string]*planner.Plan{}, Scenarios: map[string]planner.Scenario{}}}
	if err := co.setup(p); err != nil {
		return nil, err
	}
	if err := co.price(ctx); err != nil {
		return nil, err
	}
	if err := co.assemble(ctx); err != nil {
		return nil, err
	}
	if err := co.spendRest(ctx); err != nil {
		return nil, err
	}
	if err := co.finalSolves(ctx); err != nil {
		return nil, err
	}
	co.finish()
	return co.out, nil
}

// setup checks the scenario's county codes against p and fills each
// county's scenario, floors, caps and request.
func (co *coordinator) setup(p *Province) error {
	ps := co.ps
	known := map[string]bool{}
	for _, c := range p.Counties {
		known[c.Code] = true
		if p.Datasets[c.Code] == nil {
			return planner.Errorf(planner.EINTERNAL, "province: county %s has no dataset", c.Code)
		}
	}
	if len(p.Counties) == 0 {
		return planner.FieldErrorf("counties", "the province has no county")
	}
	for _, code := range sortedCodes(ps.PerCounty) {
		if !known[code] {
			return planner.FieldErrorf("per_county."+code, "no county %q in the dataset", code)
		}
	}
	for i, sh := range ps.Shares {
		if !known[sh.County] {
			return planner.FieldErrorf(fmt.Sprintf("shares[%d].county", i), "no county %q in the dataset", sh.County)
		}
	}
	for y := ps.County.FirstYear; y <= ps.County.LastYear; y++ {
		co.years = append(co.years, y)
		mu, ok := ps.PoolMu(y)
		co.inPool = append(co.inPool, ok)
		co.pool = append(co.pool, mu)
	}
	for _, c := range p.Counties {
		sc, err := ps.CountyScenario(c.Code)
		if err != nil {
			return err
		}
		k := &county{code: c.Code, ds: p.Datasets[c.Code], sc: sc}
		quotas := townQuotas(k.ds, sc)
		for _, y := range co.years {
			sh, _ := ps.Share(c.Code, y)
			capMu := math.Inf(1)
			if sh.CapMu > 0 {
				capMu = sh.CapMu
			}
			req := quotas[y]
			if sh.StartMu > 0 {
				req = sh.StartMu
			}
			k.floor = append(k.floor, sh.FloorMu)
			k.cap = append(k.cap, capMu)
			k.request = append(k.request, req)
		}
		co.counties = append(co.counties, k)
	}
	co.targetYear = ps.TargetYear
	if co.targetYear == 0 {
		co.targetYear = ps.County.TargetYear
	}
	co.setupRows()
	return nil
}

// townQuotas is the county's own new-land quota per year: its towns'
// quotas as the scenario scales and extends them (ruleQuota's right-hand
// sides, summed).
func townQuotas(ds *planner.Dataset, sc planner.Scenario) map[int]float64 {
	per := map[string]float64{}
	for _, q := range ds.Quotas {
		per[fmt.Sprintf("%s/%d", q.Town, q.Year)] += sc.QuotaScale * q.NewLandMu
	}
	for k, v := range sc.QuotaExtra {
		per[k] += v
	}
	out := map[int]float64{}
	for _, k := range sortedCodes(per) { // a fixed order of the sums: the same figures to the bit
		v := per[k]
		y, err := strconv.Atoi(k[strings.LastIndexByte(k, '/')+1:])
		if err == nil {
			out[y] += math.Max(0, v) // negative extras cannot go below no quota
		}
	}
	return out
}

// task is county k's scenario at the prices (indexed as
// sharedRow.price) under the allocation alloc (nil: only its caps): the
// pool years' prices as new_land_price, the target's as park_bonus in
// the years up to the province's target year, the cap's as
// new_land_park_price.
func (co *coordinator) task(k *county, round int, price, alloc []float64) planner.CountyTask {
	sc := k.sc
	sc.NewLandPrice = nil
	sc.CountyAllocation = nil
	sc.ParkBonus = nil
	sc.NewLandParkPrice = 0
	nT := len(co.years)
	for t, y := range co.years {
		if price[t] > 0 {
			if sc.NewLandPrice == nil {
				sc.NewLandPrice = map[int]float64{}
			}
			sc.NewLandPrice[y] = price[t]
		}
		if price[nT] > 0 && y <= co.targetYear {
			if sc.ParkBonus == nil {
				sc.ParkBonus = map[int]float64{}
			}
			sc.ParkBonus[y] = price[nT]
		}
		a := k.cap[t]
		if alloc != nil && co.inPool[t] {
			a = math.Min(a, alloc[t])
		}
		if !math.IsInf(a, 1) {
			if sc.CountyAllocation == nil {
				sc.CountyAllocation = map[int]float64{}
			}
			sc.CountyAllocation[y] = a
		}
	}
	sc.NewLandParkPrice = price[nT+1]
	sc.Normalize()
	return planner.CountyTask{Province: co.opts.RunID, Round: round, County: k.code, Scenario: sc, DatasetRevision: co.opts.DatasetRevision}
}

// solveRound solves the tasks and records each plan as a column of its
// county. It returns, per task, the column (nil when the county had no
// plan).
func (co *coordinator) solveRound(ctx context.Context, ks []*county, tasks []planner.CountyTask, prices [][]float64, allocs [][]float64) ([]*column, error) {
	res, err := co.opts.Solver.SolveCounties(ctx, tasks)
	if err != nil {
		return nil, err
	}
	if len(res) != len(tasks) {
		return nil, planner.Errorf(planner.EINTERNAL, "province: %d results for %d county tasks", len(res), len(tasks))
	}
	cols := make([]*column, len(tasks))
	times := make([]time.Duration, 0, len(res))
	defer func() { co.out.SolveTimes = append(co.out.SolveTimes, times) }()
	for i, r := range res {
		k := ks[i]
		if r.Plan == nil || r.Err != "" {
			// no plan: a failed solve's plan kept beside its error is
			// the empty plan of an infeasible or unsolved county, and its
			// zero bound is no bound
			k.lastErr = r.Err
			continue
		}
		times = append(times, r.Plan.Solve.Elapsed)
		c := &column{round: tasks[i].Round, price: prices[i], plan: r.Plan, use: make([]float64, len(co.years)), alloc: allocs[i]}
		for _, ts := range r.Plan.Towns {
			for t, y := range co.years {
				c.use[t] += ts.NewLandUsedMu[y]
			}
		}
		co.countParks(c)
		c.value = r.Plan.Solve.Objective + co.parkPriceTerms(c)
		for t := range co.years {
			c.value += c.price[t] * c.use[t]
		}
		c.bound = r.Plan.Solve.Bound
		k.cols = append(k.cols, c)
		cols[i] = c
	}
	return cols, nil
}

// price runs the pricing rounds: every county at the round's prices, the
// provincial bound Σ county bounds + Σ over the shared rows of
// sign·price·rhs (the smallest over the rounds is proven), then the next
// prices: the minimiser of the cutting-plane model of that bound which
// the counties' plans so far give (cuttingPlanePrices), within a trust
// region around the prices of the best bound whose radius starts at
// initialRadius × each row's step (startPrices) and halves after every
// round without a better bound; a projected subgradient step, price +=
// θ · step · sign · (demand − rhs)/rhs, when that LP fails. All shared
// rows are priced together: the pool years are substitutes to a county
// (a price on one year alone moves its parks to another), and the
// targets trade parks against land. When the pricing rounds solve at a
// lower node limit (Options.PricingNodeLimit), one more round solves
// every county at the prices of the best bound with the county
// scenario's own limit: its bound is the tight one.
func (co *coordinator) price(ctx context.Context) error {
	price := make([]float64, co.nPrice)
	co.finalPrice = make([]float64, co.nPrice)
	theta, flat := initialRadius, 0
	for round := 0; round < co.opts.MaxRounds; round++ {
		cols, demand, better, err := co.pricingRound(ctx, round, price, co.light())
		if err != nil {
			return err
		}
		if better {
			flat = 0
		} else {
			flat++
			theta /= 2
		}
		if flat >= maxFlatRounds || co.gapMet() {
			break
		}
		if round == 0 {
			co.startPrices(cols)
		}
		next, ok := co.cuttingPlanePrices(co.finalPrice, theta)
		if !ok {
			next = make([]float64, co.nPrice)
		}
		moved := false
		for i, r := range co.rows {
			p := r.price
			if !ok {
				g := r.sign() * (demand[i] - r.rhs) / math.Max(r.rhs, 1)
				next[p] = math.Max(0, price[p]+theta*co.scale[p]*g)
			}
			if math.Abs(next[p]-price[p]) > 1e-9*math.Max(1, co.scale[p]) {
				moved = true
			}
			price[p] = next[p]
		}
		if !moved {
			break
		}
	}
	if co.light() {
		final := append([]float64(nil), co.finalPrice...)
		if _, _, _, err := co.pricingRound(ctx, len(co.out.Rounds), final, false); err != nil {
			return err
		}
	}
	return nil
}

// light reports whether the pricing rounds solve the counties at a lower
// node limit than their scenarios' (Options.PricingNodeLimit).
func (co *coordinator) light() bool {
	return co.opts.PricingNodeLimit > 0
}

// gapMet reports whether the best plan so far is within the gap target
// of the best bound.
func (co *coordinator) gapMet() bool {
	return !math.IsNaN(co.bestObj) && provGap(co.bestBound, co.bestObj) <= co.opts.GapTarget
}

// pricingRound solves every county at price (indexed as
// sharedRow.price; light: at Options.PricingNodeLimit), records the round
// and its provincial bound, and returns the counties' columns (nil: no
// plan), the demand per shared row (Σ over counties of rowClaim) and
// whether the bound is the best so far.
func (co *coordinator) pricingRound(ctx context.Context, round int, price []float64, light bool) ([]*column, []float64, bool, error) {
	tasks := make([]planner.CountyTask, len(co.counties))
	prices := make([][]float64, len(co.counties))
	allocs := make([][]float64, len(co.counties))
	for i, k := range co.counties {
		prices[i] = append([]float64(nil), price...)
		tasks[i] = co.task(k, round, price, nil)
		if light && (k.sc.NodeLimit == 0 || co.opts.PricingNodeLimit < k.sc.NodeLimit) {
			tasks[i].Scenario.NodeLimit = co.opts.PricingNodeLimit
		}
	}
	cols, err := co.solveRound(ctx, co.counties, tasks, prices, allocs)
	if err != nil {
		return nil, nil, false, err
	}
	bound := co.boundTerms(price)
	demand := make([]float64, len(co.rows))
	for i, k := range co.counties {
		c := cols[i]
		if c == nil {
			bound = math.Inf(1)
			if len(k.cols) == 0 && round == 0 {
				return nil, nil, false, fmt.Errorf("%w: county %s: %s", planner.ErrNoPlan, k.code, k.lastErr)
			}
			c = k.cols[len(k.cols)-1]
		} else {
			c.light = light
			bound += c.bound
		}
		for i, r := range co.rows {
			demand[i] += co.rowClaim(k, c, r)
		}
	}
	better := bound < co.bestBound-1e-9*math.Max(1, math.Abs(bound))
	if better {
		co.bestBound = bound
		copy(co.finalPrice, price)
	}
	if obj, ok := co.choose(); ok {
		co.bestObj = obj
	}
	rd := Round{Round: round, Elapsed: time.Since(co.start)}
	if !math.IsInf(bound, 1) {
		rd.Bound, rd.Proven = bound, true
	}
	if !math.IsNaN(co.bestObj) {
		rd.Objective, rd.Plan = co.bestObj, true
	}
	for i, r := range co.rows {
		switch r.kind {
		case rowPool:
			rd.Prices = append(rd.Prices, planner.PoolPrice{Year: co.years[r.t], Price: price[r.price]})
			rd.DemandMu = append(rd.DemandMu, demand[i])
		case rowTarget:
			rd.TargetPrice = price[r.price]
		case rowCap:
			rd.NewLandParkPrice = price[r.price]
		}
	}
	co.out.Rounds = append(co.out.Rounds, rd)
	if co.opts.Progress != nil {
		co.opts.Progress(rd)
	}
	return cols, demand, better, nil
}

// startPrices sets the price steps (co.scale): for the pool years a
// quarter of what the round-0 plans are worth per mu of new land they
// use (objective units per mu); for the target a quarter of what they
// are worth per park open by its year, for the cap per park on new land.
func (co *coordinator) startPrices(cols []*column) {
	value, use, byTarget, newLand := 0.0, 0.0, 0.0, 0.0
	for _, c := range cols {
		if c == nil {
			continue
		}
		value += c.value
		for _, u := range c.use {
			use += u
		}
		byTarget += float64(c.byTarget)
		newLand += float64(c.newLandParks)
	}
	step := func(per float64) float64 {
		if per > 0 && value > 0 {
			return math.Max(minStartPrice, 0.25*value/per)
		}
		return minStartPrice
	}
	co.scale = make([]float64, co.nPrice)
	for t := range co.years {
		co.scale[t] = step(use)
	}
	co.scale[len(co.years)] = step(byTarget)
	co.scale[len(co.years)+1] = step(newLand)
}

// provGap is the provincial gap, (bound − objective)/max(1, |bound|).
func provGap(bound, obj float64) float64 {
	return (bound - obj) / math.Max(1, math.Abs(bound))
}

func sortedCodes[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
