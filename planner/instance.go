package planner

import (
	"math"

	"github.com/paulmach/orb"
)

// Instance is the planning model in index form (docs/model.md): the one
// thing the solver, the MPS writer and the plan decoder read. BuildInstance
// makes it from a Dataset and a Scenario; tests may build one by hand.
//
// Decisions: y[s][t][k] = 1 when site s opens in year Years[t] with
// specialty Sites[s].Specialties[k]; x[a][k] = firms of Arcs[a].Group placed
// in Arcs[a].Site under that site's specialty k (integer, 0 ≤ x ≤ count).
type Instance struct {
	Scenario Scenario // with Defaults applied
	Years    []int    // FirstYear…LastYear
	Towns    []string // town codes; Site.Town and Group.Town index this
	Sites    []Site   // in ParcelID order
	Groups   []Group  // in key order
	Arcs     []Arc    // eligible (group, site) pairs, by (Site, Group)
	// Related[i][j] reports whether industry Industries[j] counts toward a
	// park whose specialty is Industries[i] (i == j included).
	Industries []string
	Related    [][]bool
	// QuotaMu[town][t]: new-land mu the town may open in Years[t] (scaled, with extras).
	QuotaMu [][]float64
	// BudgetWan[t]: subsidy budget of Years[t], 10,000 yuan; +Inf when uncapped.
	BudgetWan []float64
	// CountyMu[t]: new-land mu the whole county may open in Years[t]
	// (Scenario.CountyAllocation); +Inf when uncapped. Nil is uncapped.
	CountyMu []float64
	// LandPrice[t]: objective units charged per mu of new land opened in
	// Years[t] (Scenario.NewLandPrice); nil or 0 when none. OpenValue
	// applies it.
	LandPrice []float64
	// ParkBonus[t]: objective units gained per park opened in Years[t]
	// (Scenario.ParkBonus); NewLandParkPrice: objective units charged per
	// park on new land (Scenario.NewLandParkPrice). Nil and 0 when none;
	// OpenValue applies them.
	ParkBonus        []float64
	NewLandParkPrice float64
	// TargetT is the index in Years of Scenario.TargetYear (parks open in
	// years ≤ TargetYear count toward the target).
	TargetT int
	// Excluded are firms kept out before the model (barred, not upgraded, …).
	Excluded []Unplaced
	// Dropped are parcels kept out of the model (protected land, lock_out,
	// no admissible specialty), by ParcelID.
	Dropped []DroppedSite
	// Warnings are facts a planner should see that do not block a plan
	// (e.g. a locked park overlapping protected land), sorted.
	Warnings []string
}

// DroppedSite is a parcel the model leaves out, with the rule that leaves
// it out and the reason in planning words.
type DroppedSite struct {
	ParcelID string
	Town     string // Town.Code
	Rule     string // RuleProtected, RuleLocked (lock_out), RuleSpecialtyShare (no specialty); "" for a data fault
	Reason   string // e.g. "overlaps basic farmland by 3.20 mu (tolerance 0.01 mu)"
}

// Site is a parcel that is or may become a park.
type Site struct {
	ParcelID   string
	Town       int // index into Instance.Towns
	Kind       ParcelKind
	AreaMu     float64
	CapacityM2 float64 // mu × MuM2 × FAR × usable share, less floor already taken
	CostWan    float64
	// FixedValue is the objective term paid when the site opens (≤ 0):
	// −Weights.LandMu·AreaMu (new land only) − Weights.Cost·CostWan.
	FixedValue  float64
	Specialties []int // allowed specialty indexes into Instance.Industries
	Locked      bool  // must open: Year and Specialties[0] are then fixed
	LockedYear  int   // index into Years of a locked site's opening (0 if it opened earlier)
	Centroid    orb.Point
}

// Group is a set of firms the model cannot tell apart (same town, industry,
// small/micro or not, floor need and output; docs/model.md), so it counts them.
type Group struct {
	Town       int // index into Instance.Towns
	Industry   int // index into Instance.Industries
	SmallMicro bool
	FloorM2    float64 // floor need of one firm, m²
	OutputWan  float64 // yearly output of one firm, 10,000 yuan (OutputPerMu × FloorM2 land-equivalent)
	Count      int
	Members    []string // enterprise ids, sorted
}

// Arc is a group that may move into a site under the relocation rule.
type Arc struct {
	Group      int
	Site       int
	DistanceKm float64 // town seat to site centroid, km
	// Value is the objective gain per firm placed:
	// W.FloorM2·FloorM2 + W.Firms + W.Output·OutputWan − W.DistanceKm·DistanceKm.
	Value float64
}

// Solution is a solver's answer on an Instance, before it is decoded into a Plan.
type Solution struct {
	// Year[s] is the index into Years when site s opens, −1 when it stays closed.
	Year []int
	// Specialty[s] is the index into Sites[s].Specialties of the chosen specialty
	// (meaningful only when Year[s] ≥ 0).
	Specialty []int
	// Count[a] is the number of firms of Arcs[a].Group placed in Arcs[a].Site.
	Count []int
	Info  SolveInfo
}

// OpenValue is the objective term of opening site s in year index t:
// its FixedValue less LandPrice[t] per mu and NewLandParkPrice when it
// is on new land, plus ParkBonus[t] (docs/model.md, docs/province.md).
// The model's y columns, the solver and DecodePlan all take it from here.
func (inst *Instance) OpenValue(s, t int) float64 {
	site := &inst.Sites[s]
	v := site.FixedValue
	if site.Kind == KindNewLand {
		if t < len(inst.LandPrice) {
			v -= inst.LandPrice[t] * site.AreaMu
		}
		v -= inst.NewLandParkPrice
	}
	if t < len(inst.ParkBonus) {
		v += inst.ParkBonus[t]
	}
	return v
}

// CountyCapped reports whether year index t has a county-wide new-land
// cap (CountyMu[t] finite).
func (inst *Instance) CountyCapped(t int) bool {
	return t < len(inst.CountyMu) && !math.IsInf(inst.CountyMu[t], 1)
}
