package planner

import "sort"

// Facility is a facility or service a park has in place, as the seed's
// three tiers name them (docs/evaluation.md).
type Facility string

// Facilities named by the seed's tiers.
const (
	FacilityFire          Facility = "fire"            // 消防
	FacilitySafety        Facility = "safety"          // 安全
	FacilityEnvironment   Facility = "environment"     // 环保
	FacilityOperator      Facility = "operator"        // 独立运营主体
	FacilityRules         Facility = "rules"           // 园区管理制度
	FacilityWarehousing   Facility = "warehousing"     // 仓储
	FacilityLogistics     Facility = "logistics"       // 物流
	FacilityBusiness      Facility = "business"        // 商务
	FacilityCanteen       Facility = "canteen"         // 食堂
	FacilityDormitory     Facility = "dormitory"       // 宿舍
	FacilityTeam          Facility = "management_team" // 专业管理团队
	FacilitySmart         Facility = "smart"           // 数字化/智慧园区管理
	FacilityRD            Facility = "rd"              // 研发
	FacilityServiceCenter Facility = "service_center"  // 综合服务体 (政策咨询、招聘、孵化、培训)
)

// facilitiesByTier lists what each tier adds to the one below (seed:
// < 100 mu basic fire, safety, environment; 100–200 mu operator, rules,
// warehousing, logistics, business, canteen, dormitory; 300–500 mu team,
// smart management, R&D, service complex).
var facilitiesByTier = map[Tier][]Facility{
	TierBasic:    {FacilityFire, FacilitySafety, FacilityEnvironment},
	TierStandard: {FacilityOperator, FacilityRules, FacilityWarehousing, FacilityLogistics, FacilityBusiness, FacilityCanteen, FacilityDormitory},
	TierComplex:  {FacilityTeam, FacilitySmart, FacilityRD, FacilityServiceCenter},
}

// RequiredFacilities returns the facilities a park of tier t must have
// (its tier's and every lower tier's), sorted.
func RequiredFacilities(t Tier) []Facility {
	var out []Facility
	for _, tier := range []Tier{TierBasic, TierStandard, TierComplex} {
		out = append(out, facilitiesByTier[tier]...)
		if tier == t {
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Valid reports whether f is one of the facilities the tiers name.
func (f Facility) Valid() bool {
	for _, fs := range facilitiesByTier {
		for _, x := range fs {
			if x == f {
				return true
			}
		}
	}
	return false
}
