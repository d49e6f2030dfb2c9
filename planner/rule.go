package planner

// Rule names, one per rule of docs/model.md. The model builder
// (planner/mip: every row carries its rule), the pre-model filters of
// BuildInstance (siteProtected, eligibleFirm, arcAllowed, the lock_out and
// specialty drops) and the independent checker planner/rules all name a
// rule by these constants, so a violation, a model row and a filtered
// parcel or firm say which rule they belong to in the same words.
const (
	// RuleOpenOnce: a site opens at most once, in one year with one specialty (一园一特).
	RuleOpenOnce = "ruleOpenOnce"
	// RuleLocked: existing and under-construction parks and lock_in parcels
	// open; lock_out parcels do not. Column bounds in the model, a drop
	// (lock_out) before it.
	RuleLocked = "ruleLocked"
	// RuleTargetParks: at least target_parks parks open by target_year.
	RuleTargetParks = "ruleTargetParks"
	// RuleEveryTown: a park in every town by target_year (每镇建园).
	RuleEveryTown = "ruleEveryTown"
	// RuleNewLandCap: at most max_new_land_parks parks on new land.
	RuleNewLandCap = "ruleNewLandCap"
	// RuleQuota: new land a town opens in a year within its quota.
	RuleQuota = "ruleQuota"
	// RuleBudget: the cost of the parks a year opens within its budget.
	RuleBudget = "ruleBudget"
	// RuleCountyAllocation: new land the county's towns open in a year
	// within the county's allocation of the province's pool.
	RuleCountyAllocation = "ruleCountyAllocation"
	// RulePlaceOnce: a firm is placed at most once.
	RulePlaceOnce = "rulePlaceOnce"
	// RuleCapacity: the floor space a park's firms take within its capacity.
	RuleCapacity = "ruleCapacity"
	// RuleLink: firms only in open parks (under the specialty the park took).
	RuleLink = "ruleLink"
	// RuleSpecialtyShare: specialty and related firms ≥ the share of a
	// park's firms and of its floor; the specialty from the town's block
	// industries (一镇一业), so a candidate whose town has none is dropped.
	RuleSpecialtyShare = "ruleSpecialtyShare"
	// RuleSmallMicroShare: small/micro firms ≥ the share of a park's firms.
	RuleSmallMicroShare = "ruleSmallMicroShare"
	// RuleProtected: no park on protected land (siteProtected, before the model).
	RuleProtected = "ruleProtected"
	// RuleAdmission: barred, not upgraded or unsafe firms never placed
	// (eligibleFirm, before the model).
	RuleAdmission = "ruleAdmission"
	// RuleMuAdmission: firms below the scenario's 亩均效益 class or output
	// or tax per mu thresholds never placed (muAdmission via eligibleFirm,
	// before the model; 亩产效益入园).
	RuleMuAdmission = "ruleMuAdmission"
	// RuleRelocation: a firm moves at most max_relocation_km, or only
	// within its town (arcAllowed, before the model: no arc, no variable).
	RuleRelocation = "ruleRelocation"
	// RuleTier: a park's tier follows from its area (TierOf; no row).
	RuleTier = "ruleTier"
)

// Rule names the rule behind a reason a firm stays out of every park:
// RuleAdmission for the reasons eligibleFirm gives itself, RuleMuAdmission
// for the 亩均效益 reasons it takes from muAdmission, RuleRelocation for
// ReasonNoParkInReach (no park, or no open park, within the relocation
// rule: arcAllowed), and "" for ReasonNoCapacity (a choice of the plan,
// not a rule) and any reason not listed here.
func (r UnplacedReason) Rule() string {
	switch r {
	case ReasonBarredPollution, ReasonLowScattered, ReasonSafety:
		return RuleAdmission
	case ReasonMuClass, ReasonOutputPerMu, ReasonTaxPerMu:
		return RuleMuAdmission
	case ReasonNoParkInReach:
		return RuleRelocation
	}
	return ""
}
