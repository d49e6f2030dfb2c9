package planner

import "time"

// Scenario fixes a plan's rules and weights. It is read from a YAML or JSON
// file (docs/scenarios.md); zero values are filled by Defaults. Field names
// in the file are the json tags.
type Scenario struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`

	// Years is the planning horizon, first and last year inclusive (2019–2022).
	FirstYear int `json:"first_year" yaml:"first_year"`
	LastYear  int `json:"last_year" yaml:"last_year"`

	// Target: at least TargetParks parks open by TargetYear (20 by 2020).
	TargetParks int `json:"target_parks" yaml:"target_parks"`
	TargetYear  int `json:"target_year" yaml:"target_year"`
	// EveryTown: at least one park in every town by TargetYear (每镇建园).
	EveryTown bool `json:"every_town" yaml:"every_town"`
	// MaxNewLandParks caps the new parks on newly approved land (6); -1 means no cap.
	MaxNewLandParks int `json:"max_new_land_parks" yaml:"max_new_land_parks"`

	// AllowOtherSpecialties lets a park take a specialty outside its town's
	// block industries (一镇一业 relaxed).
	AllowOtherSpecialties bool `json:"allow_other_specialties" yaml:"allow_other_specialties"`
	// SpecialtyShareFirms, SpecialtyShareFloor: specialty + related industries
	// ≥ this share of a park's firms / floor space (0.7).
	SpecialtyShareFirms float64 `json:"specialty_share_firms" yaml:"specialty_share_firms"`
	SpecialtyShareFloor float64 `json:"specialty_share_floor" yaml:"specialty_share_floor"`
	// SmallMicroShare: small and micro firms ≥ this share of a park's firms (0.7).
	SmallMicroShare float64 `json:"small_micro_share" yaml:"small_micro_share"`
	// UsableShare is the share of area × FAR that firms can occupy (the rest
	// is roads, services, canteen, dormitories), 0 < u ≤ 1.
	UsableShare float64 `json:"usable_share" yaml:"usable_share"`

	// ProtectedToleranceMu: overlaps with protected land up to this many mu
	// are slivers, not violations (0.01).
	ProtectedToleranceMu float64 `json:"protected_tolerance_mu" yaml:"protected_tolerance_mu"`

	// UpgradedLowScattered counts low/scattered/messy firms as upgraded, so
	// they may enter parks (低散乱 firms enter only after upgrading).
	UpgradedLowScattered bool `json:"upgraded_low_scattered" yaml:"upgraded_low_scattered"`
	// 亩均效益 admission (亩产效益入园, planner/admission.go): firms below
	// MinOutputPerMu or MinTaxPerMu (10,000 yuan/mu/year; 0: no threshold),
	// or below an industry's own thresholds in IndustryAdmission, stay
	// out. MinMuClass admits firms of that 亩均效益 class or better ("C":
	// A–C; "": no class rule); UpgradedMuClass counts the firms below it
	// as upgraded, so they may enter.
	MinOutputPerMu    float64                      `json:"min_output_per_mu,omitempty" yaml:"min_output_per_mu,omitempty"`
	MinTaxPerMu       float64                      `json:"min_tax_per_mu,omitempty" yaml:"min_tax_per_mu,omitempty"`
	IndustryAdmission map[string]IndustryAdmission `json:"industry_admission,omitempty" yaml:"industry_admission,omitempty"`
	MinMuClass        MuClass                      `json:"min_mu_class,omitempty" yaml:"min_mu_class,omitempty"`
	UpgradedMuClass   bool                         `json:"upgraded_mu_class,omitempty" yaml:"upgraded_mu_class,omitempty"`
	// MaxRelocationKm caps the distance from a firm's town seat to its park,
	// km; 0 means no cap. WithinTown keeps every firm in its own town.
	MaxRelocationKm float64 `json:"max_relocation_km" yaml:"max_relocation_km"`
	WithinTown      bool    `json:"within_town" yaml:"within_town"`

	// QuotaCarryOver lets unused quota of a year pass to later years.
	QuotaCarryOver bool `json:"quota_carry_over" yaml:"quota_carry_over"`
	// QuotaScale multiplies every quota (1); QuotaExtra adds mu per town and
	// year, keyed "town/year" (e.g. "zhouxiang/2020": 30).
	QuotaScale float64            `json:"quota_scale" yaml:"quota_scale"`
	QuotaExtra map[string]float64 `json:"quota_extra,omitempty" yaml:"quota_extra,omitempty"`

	// CountyAllocation is the county's share of the province's new-land
	// pool, mu per year, keyed by year (docs/province.md): the new land
	// all its towns open in that year together is at most this
	// (ruleCountyAllocation). Town quotas still bind beside it. A year
	// absent has no county-wide cap. It does not carry over.
	CountyAllocation map[int]float64 `json:"county_allocation,omitempty" yaml:"county_allocation,omitempty"`
	// NewLandPrice is a price per mu of new land opened in a year, in
	// objective units, keyed by year: the objective loses price × mu for
	// every new-land park opened that year. The province's coordinator
	// sets it (the Lagrangian price of the pool); a year absent is 0.
	NewLandPrice map[int]float64 `json:"new_land_price,omitempty" yaml:"new_land_price,omitempty"`
	// ParkBonus is a bonus per park opened in a year, in objective units,
	// keyed by year (a park open before first_year counts in first_year);
	// NewLandParkPrice is a price per park on new land, whatever its year.
	// The province's coordinator sets them: the Lagrangian prices of the
	// province-wide target (parks open by its year) and new-land cap
	// (docs/province.md). A year absent, or 0, is no bonus.
	ParkBonus        map[int]float64 `json:"park_bonus,omitempty" yaml:"park_bonus,omitempty"`
	NewLandParkPrice float64         `json:"new_land_park_price,omitempty" yaml:"new_land_park_price,omitempty"`

	// Budget is the subsidy budget per year in 10,000 yuan, keyed by year;
	// a year absent has no cap. Opening a park pays its parcel's CostWan.
	Budget map[int]float64 `json:"budget,omitempty" yaml:"budget,omitempty"`

	// LockIn forces parcels open (ids); LockOut keeps parcels closed.
	// Existing and under-construction parks are locked in unless UnlockExisting.
	LockIn         []string `json:"lock_in,omitempty" yaml:"lock_in,omitempty"`
	LockOut        []string `json:"lock_out,omitempty" yaml:"lock_out,omitempty"`
	UnlockExisting bool     `json:"unlock_existing,omitempty" yaml:"unlock_existing,omitempty"`

	Weights Weights `json:"weights" yaml:"weights"`

	// Solver settings.
	TimeLimit Duration `json:"time_limit" yaml:"time_limit"` // wall-clock limit (e.g. "10s")
	GapTarget float64  `json:"gap_target" yaml:"gap_target"` // stop when the relative gap is below this (1e-4)
	// NodeLimit stops the solve after this many nodes (0: no limit). A solve
	// that ends on its own or on NodeLimit gives the same plan to the byte
	// on any machine; one cut by TimeLimit depends on the machine's speed.
	NodeLimit int `json:"node_limit,omitempty" yaml:"node_limit,omitempty"`
}

// Weights are the objective's coefficients; the objective is maximised:
//
//	FloorM2·(m² housed) + Firms·(firms housed) + Output·(output, 10,000 yuan/yr)
//	− LandMu·(mu of new parks) − DistanceKm·(firm-km moved) − Cost·(10,000 yuan)
type Weights struct {
	FloorM2    float64 `json:"floor_m2" yaml:"floor_m2"`
	Firms      float64 `json:"firms" yaml:"firms"`
	Output     float64 `json:"output" yaml:"output"`
	LandMu     float64 `json:"land_mu" yaml:"land_mu"`
	DistanceKm float64 `json:"distance_km" yaml:"distance_km"`
	Cost       float64 `json:"cost" yaml:"cost"`
}

// Duration is a time.Duration written as a Go duration string ("90s").
type Duration struct{ time.Duration }
