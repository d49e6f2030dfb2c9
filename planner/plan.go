package planner

import "time"

// Tier is a park's tier, set by its area (seed: < 100 mu; 100–200 mu; 300–500 mu).
type Tier string

// Tiers. The seed names no tier for 200–300 mu; parkplan puts it in TierStandard.
const (
	TierBasic    Tier = "basic"    // < 100 mu: fire, safety and environmental basics
	TierStandard Tier = "standard" // 100–300 mu: operator, rules, logistics, canteen, dormitory
	TierComplex  Tier = "complex"  // ≥ 300 mu: professional team, smart management, service complex
)

// TierOf returns the tier of a park of areaMu mu.
func TierOf(areaMu float64) Tier {
	switch {
	case areaMu < 100:
		return TierBasic
	case areaMu < 300:
		return TierStandard
	default:
		return TierComplex
	}
}

// Park is a parcel open as a park in a plan.
type Park struct {
	ParcelID  string     `json:"parcel_id"`
	Town      string     `json:"town"`
	Kind      ParcelKind `json:"kind"`
	Specialty string     `json:"specialty"`
	OpenYear  int        `json:"open_year"`
	Tier      Tier       `json:"tier"`
	Locked    bool       `json:"locked"`
	AreaMu    float64    `json:"area_mu"`
	FAR       float64    `json:"far"`
	// CapacityM2 is the floor space firms can take: mu × MuM2 × FAR × usable share.
	CapacityM2 float64 `json:"capacity_m2"`
	// FloorUsedM2 and Firms count the firms the plan places.
	FloorUsedM2         float64 `json:"floor_used_m2"`
	Firms               int     `json:"firms"`
	SmallMicroShare     float64 `json:"small_micro_share"`     // of placed firms
	SpecialtyFirmShare  float64 `json:"specialty_firm_share"`  // specialty+related, of placed firms
	SpecialtyFloorShare float64 `json:"specialty_floor_share"` // specialty+related, of placed floor
	OutputWan           float64 `json:"output_wan"`            // yearly output of placed firms, 10,000 yuan
	CostWan             float64 `json:"cost_wan"`
}

// Assignment places one enterprise in one park.
type Assignment struct {
	EnterpriseID string  `json:"enterprise_id"`
	ParcelID     string  `json:"parcel_id"`
	DistanceM    float64 `json:"distance_m"` // town seat to park centroid, metres
}

// UnplacedReason says why a firm is not in any park.
type UnplacedReason string

// Reasons a firm stays out.
const (
	ReasonBarredPollution UnplacedReason = "barred_pollution"    // heavy polluter
	ReasonLowScattered    UnplacedReason = "low_scattered"       // not counted as upgraded
	ReasonSafety          UnplacedReason = "safety"              // safety record fails admission
	ReasonNoParkInReach   UnplacedReason = "no_park_in_reach"    // no open park within the relocation rule
	ReasonNoCapacity      UnplacedReason = "no_capacity"         // parks in reach are full or the share rules exclude it
	ReasonMuClass         UnplacedReason = "mu_class"            // 亩均效益 class below the scenario's minimum, not upgraded
	ReasonOutputPerMu     UnplacedReason = "below_output_per_mu" // output per mu below the scenario's threshold
	ReasonTaxPerMu        UnplacedReason = "below_tax_per_mu"    // tax per mu below the scenario's threshold
)

// Unplaced is a firm left out, with the reason.
type Unplaced struct {
	EnterpriseID string         `json:"enterprise_id"`
	Reason       UnplacedReason `json:"reason"`
	// Detail gives the figure and the threshold for the 亩均效益 reasons
	// ("output 150 < minimum 200 (10,000 yuan/mu/year, global threshold)").
	Detail string `json:"detail,omitempty"`
}

// TownSummary is a town's line in a plan.
type TownSummary struct {
	Town          string          `json:"town"`
	Parks         int             `json:"parks"`
	NewParks      int             `json:"new_parks"`
	QuotaMu       map[int]float64 `json:"quota_mu"`         // by year, after scenario scaling
	NewLandUsedMu map[int]float64 `json:"new_land_used_mu"` // by year
	OldFactoryMu  map[int]float64 `json:"old_factory_mu"`   // by year, outside the quota
	FirmsPlaced   int             `json:"firms_placed"`
}

// SolveStatus is how a solve ended.
type SolveStatus string

// Solve statuses.
const (
	StatusOptimal    SolveStatus = "optimal"    // gap ≤ the scenario's gap target
	StatusFeasible   SolveStatus = "feasible"   // a plan with a proven gap: stopped at a time or node limit, or when the bound stopped improving
	StatusInfeasible SolveStatus = "infeasible" // no plan satisfies the rules; see Explanation
	StatusNoPlan     SolveStatus = "no_plan"    // time ran out before any plan was found
)

// SolveInfo is a plan's quality: the objective, the proven bound and gap.
type SolveInfo struct {
	Solver    string        `json:"solver"` // "parkplan", "cbc", or "parkplan+cbc" (both, side by side)
	Status    SolveStatus   `json:"status"`
	Objective float64       `json:"objective"`
	Bound     float64       `json:"bound"` // proven upper bound on the objective (maximising)
	Gap       float64       `json:"gap"`   // (Bound−Objective)/max(1,|Objective|)
	Elapsed   time.Duration `json:"elapsed_ns"`
	Nodes     int           `json:"nodes"`
	Binding   []string      `json:"binding,omitempty"` // rules that bind at the optimum, in planning words
	// PlanFrom and BoundFrom name the solver that found the plan and the one
	// that proved the bound ("parkplan" or "cbc") when two ran side by side
	// (Solver "parkplan+cbc"); empty otherwise.
	PlanFrom  string `json:"plan_from,omitempty"`
	BoundFrom string `json:"bound_from,omitempty"`
	// PricesFrom names where parkplan's relaxation took its starting
	// multipliers when not at zero: "cbc-lp", the LP relaxation's duals as
	// CBC solved it (planner/engine). The plan and bound are parkplan's
	// own either way.
	PricesFrom string `json:"prices_from,omitempty"`
}

// KPIs are a plan's headline figures, compared across scenarios.
type KPIs struct {
	ParksByTarget    int     `json:"parks_by_target_year"`
	ParksTotal       int     `json:"parks_total"`
	TownsCovered     int     `json:"towns_covered"`
	NewLandParks     int     `json:"new_land_parks"`
	NewLandMu        float64 `json:"new_land_mu"`
	OldFactoryMu     float64 `json:"old_factory_mu"`
	LockedMu         float64 `json:"locked_mu"`
	FirmsPlaced      int     `json:"firms_placed"`
	FloorPlacedM2    float64 `json:"floor_placed_m2"`
	OutputPerMu      float64 `json:"output_per_mu"` // output of placed firms per mu of their land use
	MeanRelocationKm float64 `json:"mean_relocation_km"`
	MaxRelocationKm  float64 `json:"max_relocation_km"`
	CostWan          float64 `json:"cost_wan"`
}

// Plan is a solved scenario.
type Plan struct {
	Scenario     string        `json:"scenario"`
	ScenarioHash string        `json:"scenario_hash"` // sha256 of the canonical scenario and dataset
	Parks        []Park        `json:"parks"`         // by ParcelID
	Assignments  []Assignment  `json:"assignments"`   // by EnterpriseID
	Unplaced     []Unplaced    `json:"unplaced"`      // by EnterpriseID
	Towns        []TownSummary `json:"towns"`         // by Town
	KPI          KPIs          `json:"kpi"`
	Solve        SolveInfo     `json:"solve"`
	Explanation  *Explanation  `json:"explanation,omitempty"` // set when infeasible
	Warnings     []string      `json:"warnings,omitempty"`    // e.g. locked parks on protected land
	// DatasetRevision is the dataset revision the plan was built on
	// (Dataset.Revision); 0, and absent from JSON, when not known.
	DatasetRevision int `json:"dataset_revision,omitempty"`
}

// Explanation says, in planning terms, why no plan exists and the smallest
// relaxation that restores one.
type Explanation struct {
	Conflicts   []string `json:"conflicts"`   // e.g. "周巷镇: quota 2019–2020 is 40 mu; the smallest admissible candidate is 65 mu"
	Relaxations []string `json:"relaxations"` // e.g. "lower target_parks from 22 to 21"
}

// Progress is a solver's report while it runs.
type Progress struct {
	Incumbent float64       `json:"incumbent"` // best plan's objective so far (NaN if none)
	Bound     float64       `json:"bound"`
	Gap       float64       `json:"gap"`
	Nodes     int           `json:"nodes"`
	Elapsed   time.Duration `json:"elapsed_ns"`
}
