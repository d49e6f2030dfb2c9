package planner

import (
	"context"
	"time"

	"github.com/paulmach/orb"
)

// County is a county-level unit (县, 县级市 or 市辖区) above towns, in its
// prefecture (地级市). A dataset may hold one county or a whole province;
// a town belongs to exactly one county (Town.County).
type County struct {
	Code       string           // stable code, e.g. "cixi"
	NameZh     string           // 慈溪市
	NameEn     string           // Cixi
	Prefecture string           // prefecture's name, e.g. 宁波市
	Seat       orb.Point        // county seat, lon/lat degrees (EPSG:4490)
	Boundary   orb.MultiPolygon // lon/lat degrees (EPSG:4490); union of its towns when not surveyed
	// Implied marks the default county of data without counties
	// (DefaultCounty): it is not written back to files nor hashed, and
	// has no seat or boundary of its own (the store shows the union of
	// its towns).
	Implied bool
}

// ProvinceScenario fixes a provincial plan's rules: the county rules
// (one county Scenario for all counties, overridden per county) and what
// the province shares among counties — a yearly new-land quota pool and
// province-wide targets. It is read from a YAML or JSON file
// (docs/province.md).
type ProvinceScenario struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`

	// County is the county scenario every county solves under.
	County Scenario `json:"county" yaml:"county"`
	// PerCounty overrides county scenario fields for one county, keyed by
	// County.Code; a field present in the override replaces County's.
	PerCounty map[string]map[string]any `json:"per_county,omitempty" yaml:"per_county,omitempty"`

	// Pool is the province's new-land quota pool per year, mu.
	Pool []PoolYear `json:"pool" yaml:"pool"`
	// Shares bounds each county's allocation of the pool (floor, cap, and
	// its current quota as the starting allocation); a county absent has
	// floor 0, no cap and its towns' quotas as its request.
	Shares []CountyShare `json:"shares,omitempty" yaml:"shares,omitempty"`

	// Province-wide targets: at least TargetParks parks open in the
	// province by TargetYear; at most MaxNewLandParks parks on new land
	// (-1: no cap).
	TargetParks     int `json:"target_parks,omitempty" yaml:"target_parks,omitempty"`
	TargetYear      int `json:"target_year,omitempty" yaml:"target_year,omitempty"`
	MaxNewLandParks int `json:"max_new_land_parks,omitempty" yaml:"max_new_land_parks,omitempty"`
}

// PoolYear is the province's new-land quota for one year, mu.
type PoolYear struct {
	Year      int     `json:"year" yaml:"year"`
	NewLandMu float64 `json:"new_land_mu" yaml:"new_land_mu"`
}

// CountyShare bounds one county's allocation of the pool in one year
// (Year 0: every year), mu. CapMu 0 means no cap.
type CountyShare struct {
	County  string  `json:"county" yaml:"county"`
	Year    int     `json:"year,omitempty" yaml:"year,omitempty"`
	FloorMu float64 `json:"floor_mu,omitempty" yaml:"floor_mu,omitempty"`
	CapMu   float64 `json:"cap_mu,omitempty" yaml:"cap_mu,omitempty"`
	StartMu float64 `json:"start_mu,omitempty" yaml:"start_mu,omitempty"`
}

// ProvinceResult is a provincial plan and its proof: the pool's allocation
// per county and year, the prices the coordinator ended at, each county's
// plan (saved as an ordinary scenario, so maps, compare, checks and
// exports work on it) and the provincial objective, bound and gap.
type ProvinceResult struct {
	Scenario   string             `json:"scenario"`   // ProvinceScenario.Name
	Objective  float64            `json:"objective"`  // sum of the counties' plan objectives
	Bound      float64            `json:"bound"`      // sum of county bounds at the prices plus the price terms
	Gap        float64            `json:"gap"`        // (Bound-Objective)/max(1,|Bound|)
	Iterations int                `json:"iterations"` // coordinator rounds
	Allocation []CountyAllocation `json:"allocation"` // by County, Year
	Prices     []PoolPrice        `json:"prices"`     // by Year
	// TargetPrice is the price of the province-wide target (objective
	// units per park open by its year), NewLandParkPrice that of the
	// province-wide new-land cap (per park on new land), at the best
	// bound; 0 without the row. TargetParksOpen and NewLandParksOpen
	// count the plan's parks on those rows.
	TargetPrice      float64         `json:"target_price,omitempty"`
	NewLandParkPrice float64         `json:"new_land_park_price,omitempty"`
	TargetParksOpen  int             `json:"target_parks_open"`
	NewLandParksOpen int             `json:"new_land_parks_open"`
	Counties         []CountyOutcome `json:"counties"` // by County
	KPI              KPIs            `json:"kpi"`      // summed over counties
	Warnings         []string        `json:"warnings,omitempty"`
	Elapsed          Duration        `json:"elapsed"`
}

// CountyAllocation is one county's share of the pool in one year, mu, and
// what a mu is worth there (objective units per mu): MarginalValue is the
// gain of one more mu, ReleaseValue the loss of taking one mu back.
type CountyAllocation struct {
	County        string  `json:"county"`
	Year          int     `json:"year"`
	RequestMu     float64 `json:"request_mu"`   // the county's own quota (start allocation)
	AllocatedMu   float64 `json:"allocated_mu"` // what the province gives
	UsedMu        float64 `json:"used_mu"`      // new land the county's plan uses
	MarginalValue float64 `json:"marginal_value"`
	ReleaseValue  float64 `json:"release_value"`
}

// PoolPrice is the coordinator's price on one year's pool row, objective
// units per mu.
type PoolPrice struct {
	Year  int     `json:"year"`
	Price float64 `json:"price"`
}

// CountyOutcome is one county's plan in a provincial plan.
type CountyOutcome struct {
	County      string  `json:"county"`
	ScenarioID  string  `json:"scenario_id"` // the county plan, an ordinary saved scenario
	Objective   float64 `json:"objective"`
	Bound       float64 `json:"bound"`
	Parks       int     `json:"parks"`
	FirmsHoused int     `json:"firms_housed"`
}

// ProvinceRecord is a saved provincial plan: its scenario, its result
// (nil until solved) and the dataset revision it was solved on.
type ProvinceRecord struct {
	ID              string           `json:"id"`
	Scenario        ProvinceScenario `json:"scenario"`
	Result          *ProvinceResult  `json:"result,omitempty"`
	DatasetRevision int              `json:"dataset_revision"`
	CreatedAt       time.Time        `json:"created_at"`
	CreatedBy       string           `json:"created_by"`
}

// ProvinceStore keeps provincial plans. SaveProvince writes the record and
// its allocation rows in one transaction, replacing an earlier record of
// the same id; the county plans are saved before it, as ordinary
// scenarios (ScenarioStore), and named in Result.Counties.
type ProvinceStore interface {
	SaveProvince(ctx context.Context, rec *ProvinceRecord) error
	FindProvince(ctx context.Context, id string) (*ProvinceRecord, error) // ENOTFOUND when absent
	ListProvinces(ctx context.Context) ([]ProvinceRecord, error)
}

// CountyTask is one county's solve in a coordinator round: the county
// scenario with the round's allocation and prices already set in it.
type CountyTask struct {
	Province string   `json:"province"` // province run id
	Round    int      `json:"round"`
	County   string   `json:"county"` // County.Code
	Scenario Scenario `json:"scenario"`
	// DatasetRevision is the revision every county of the round reads
	// (Dataset.Revision); the task fails with ErrDataChanged when the
	// store has moved on.
	DatasetRevision int `json:"dataset_revision"`
}

// CountyResult is a CountyTask's answer: the county's plan (objective,
// bound and new land used per year are in it) or why it failed.
type CountyResult struct {
	County string `json:"county"`
	Round  int    `json:"round"`
	Plan   *Plan  `json:"plan,omitempty"`
	Err    string `json:"error,omitempty"`
}

// CountySolver solves a round's county tasks, in any order and on any
// number of machines, and returns one result per task in the tasks'
// order. The in-process solver runs them here; the job engine's
// (package jobs) runs each as a job on whichever worker takes it, and a
// task whose worker died runs again.
type CountySolver interface {
	SolveCounties(ctx context.Context, tasks []CountyTask) ([]CountyResult, error)
}
