package explain

import (
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/engine"
)

// SolveFunc solves an Instance (engine.Parkplan, engine.CBC). The time
// limit and node limit it must honour are in inst.Scenario.
type SolveFunc = engine.SolveFunc

// Verdict says whether a parcel is a park in the plan.
type Verdict string

// Verdicts.
const (
	Chosen    Verdict = "chosen"     // a park in the plan
	NotChosen Verdict = "not_chosen" // not a park; Reason says why
)

// Reason is why a parcel is, or is not, a park, in planning terms.
type Reason string

// Reasons, in the order WhyParcels picks the main one.
const (
	// Chosen parcels.
	ReasonLocked  Reason = "locked"  // existing or under-construction park, or in lock_in
	ReasonOptimal Reason = "optimal" // the plan opens it because it is better with it

	// Parcels the model leaves out (they cannot open under this scenario).
	ReasonUnknownTown Reason = "unknown_town"   // its town is not in the dataset
	ReasonLockedOut   Reason = "locked_out"     // in the scenario's lock_out
	ReasonProtected   Reason = "protected_land" // farmland / red line / outside the boundary beyond the tolerance
	ReasonNoSpecialty Reason = "no_specialty"   // its town has no admissible block industry
	ReasonExcluded    Reason = "excluded"       // left out by the model for another reason (Detail has the model's words)

	// Parcels that could open but are closed in the plan. These are
	// judged net of what the plan already uses.
	ReasonQuota        Reason = "quota"             // no year with enough of the town's new-land quota left
	ReasonNewLandCap   Reason = "new_land_cap"      // the plan already opens max_new_land_parks on new land
	ReasonBudget       Reason = "budget"            // no year with enough budget left
	ReasonNoCommonYear Reason = "no_common_year"    // quota and budget each have room, but not in the same year
	ReasonNoFirms      Reason = "no_firms_in_reach" // no admissible firm may move there
	ReasonInfeasible   Reason = "infeasible_with"   // proven: no plan keeps every rule with it open
	ReasonWorse        Reason = "worse"             // allowed, but every plan with it is worse
)

// ParcelWhy is one parcel's verdict with its reasons and figures.
type ParcelWhy struct {
	ParcelID string             `json:"parcel_id"`
	Town     string             `json:"town"`
	Kind     planner.ParcelKind `json:"kind"`
	AreaMu   float64            `json:"area_mu"`
	Verdict  Verdict            `json:"verdict"`
	Reason   Reason             `json:"reason"` // the main reason
	// Detail is the main reason in planning words, with the figures.
	Detail string `json:"detail"`
	// Blocks are every rule found keeping a parcel out (not only the main one).
	Blocks []Block `json:"blocks,omitempty"`
	// Park is what a chosen parcel contributes to the plan.
	Park *Contribution `json:"park,omitempty"`
	// Force is the re-solve with the parcel forced in (not chosen) or
	// locked out (chosen, with Options.ForceOut).
	Force *Forced `json:"force,omitempty"`
	// Notes are further facts (e.g. "the only park of its town by 2020").
	Notes []string `json:"notes,omitempty"`
}

// Block is one rule keeping a parcel out, with its figures.
type Block struct {
	Rule   Reason `json:"rule"`
	Detail string `json:"detail"`
	// Protected land: the layer, the overlap and the scenario's tolerance, mu.
	Layer       planner.ProtectedKind `json:"layer,omitempty"`
	OverlapMu   float64               `json:"overlap_mu,omitempty"`
	ToleranceMu float64               `json:"tolerance_mu,omitempty"`
	// Quota (mu) or budget (10,000 yuan) per year: what the parcel needs
	// and what is left in each year net of the plan.
	Need  float64    `json:"need,omitempty"`
	Years []YearRoom `json:"years,omitempty"`
	// New-land cap: the cap and the new-land parks the plan already opens.
	Cap  int `json:"cap,omitempty"`
	Used int `json:"used,omitempty"`
}

// YearRoom is a yearly limit (a town's new-land quota in mu, or the budget
// in 10,000 yuan), what the plan uses of it and what is left for one more
// park opening that year (with quota carry-over: the least cumulative
// slack of that year and the years after it).
type YearRoom struct {
	Year  int     `json:"year"`
	Limit float64 `json:"limit"`
	Used  float64 `json:"used"`
	Room  float64 `json:"room"`
}

// Contribution is what a chosen park brings to the plan.
type Contribution struct {
	OpenYear   int          `json:"open_year"`
	Specialty  string       `json:"specialty"`
	Tier       planner.Tier `json:"tier"`
	Locked     bool         `json:"locked"`
	Firms      int          `json:"firms"`
	FloorM2    float64      `json:"floor_m2"`    // floor space its placed firms take, m²
	CapacityM2 float64      `json:"capacity_m2"` // floor space entrants may take, m²
	OutputWan  float64      `json:"output_wan"`  // yearly output of its firms, 10,000 yuan
	// Objective is the park's part of the plan's objective: its firms'
	// values (floor, firms, output, less distance) less its land and cost
	// charges. The parks' parts add up to the plan's objective.
	Objective float64 `json:"objective"`
	// ObjectiveShare is Objective / the plan's objective (0 when that is 0).
	ObjectiveShare float64 `json:"objective_share"`
}

// Force statuses.
const (
	ForceSolved       = "solved"        // a plan with the parcel forced was found; figures below
	ForceInfeasible   = "infeasible"    // proven: no plan keeps every rule with the parcel forced
	ForceNoPlan       = "no_plan"       // the re-solve found no such plan in its limit (bound only, if any)
	ForceNotEvaluated = "not_evaluated" // the time or solve budget was used up before this parcel
	ForceFailed       = "failed"        // the re-solve failed (Detail says why)
)

// Forced is the re-solve of the scenario with one parcel forced in
// ("in": it must open, any year and specialty it may take) or out ("out":
// added to lock_out). Loss is the objective given up by forcing,
// relative to the plan being explained:
//
//   - LossAtLeast = plan objective − Bound: proven (the solver's bound on
//     every plan with the parcel forced); ≤ 0 says nothing;
//   - LossAtMost = plan bound − Objective: proven, when a forced plan was found;
//   - PlanDifference = plan objective − Objective: the difference between
//     the two plans found — what switching plans costs, not a proof.
//
// When both solves are proven optimal the three agree.
type Forced struct {
	Direction string `json:"direction"` // "in" or "out"
	Status    string `json:"status"`
	Detail    string `json:"detail,omitempty"`
	// Objective is the best forced plan's objective (when one was found).
	Objective float64 `json:"objective,omitempty"`
	// Bound is the proven upper bound on every forced plan's objective
	// (absent when the re-solve gave none).
	Bound          *float64 `json:"bound,omitempty"`
	Gap            float64  `json:"gap,omitempty"` // of the forced re-solve
	LossAtLeast    *float64 `json:"loss_at_least,omitempty"`
	LossAtMost     *float64 `json:"loss_at_most,omitempty"`
	PlanDifference *float64 `json:"plan_difference,omitempty"`
	Exact          bool     `json:"exact"` // both solves optimal: the loss is LossAtLeast = LossAtMost
	// WithinGap is set when the proven figures cannot tell whether forcing
	// costs anything (LossAtLeast ≤ 0 without Exact): PlanDifference is then
	// the solver's noise as much as the parcel's effect.
	WithinGap bool `json:"within_gap,omitempty"`
	// AddedAsIs is set when the forced plan is the plan explained with the
	// parcel added as an empty park (no rule blocks that; no firm moves),
	// or, forced out, with the park removed and its firms left out (the
	// target and every_town still met): a plan known without a solve, used
	// when the re-solve's is worse or missing.
	AddedAsIs bool `json:"added_as_is,omitempty"`
	// Opened and Closed list the parks the forced plan opens that the plan
	// does not, and the plan's parks it closes.
	Opened []string `json:"opened,omitempty"`
	Closed []string `json:"closed,omitempty"`
	Nodes  int      `json:"nodes"`
}

// Report is WhyParcels' answer for one plan.
type Report struct {
	Scenario     string              `json:"scenario"`
	ScenarioHash string              `json:"scenario_hash"`
	Status       planner.SolveStatus `json:"status"`
	Objective    float64             `json:"objective"`
	Bound        float64             `json:"bound"`
	Gap          float64             `json:"gap"`
	// Counts is the number of parcels per main reason.
	Counts map[Reason]int `json:"counts"`
	// Solves is the number of re-solves run (force in and out).
	Solves  int         `json:"solves"`
	Parcels []ParcelWhy `json:"parcels"` // by ParcelID
}

// Options bound the re-solves of WhyParcels.
type Options struct {
	// PerSolve is each re-solve's time limit; 0 means DefaultPerSolve.
	PerSolve time.Duration
	// Total caps the time of all re-solves together; 0 means DefaultTotal.
	// Parcels left when it is used up get Force.Status "not_evaluated".
	Total time.Duration
	// MaxSolves caps the number of re-solves (0: no cap).
	MaxSolves int
	// NodeLimit, when positive, replaces the scenario's node limit in each
	// re-solve: a re-solve that ends on it gives the same figures on any
	// machine (set PerSolve high enough that time does not end it first).
	NodeLimit int
	// ForceOut also re-solves each chosen candidate (not locked) with it in
	// lock_out, to say what it is worth.
	ForceOut bool
	// NoForce skips all re-solves (only the rules' figures are given).
	NoForce bool
}

// Defaults of Options.
const (
	DefaultPerSolve = 2 * time.Second
	DefaultTotal    = 2 * time.Minute
)
