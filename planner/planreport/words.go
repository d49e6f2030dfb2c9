package planreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/rules"
)

// The report's Chinese words for parkplan's codes.
var (
	kindZh = map[planner.ParcelKind]string{
		planner.KindExisting:          "已建",
		planner.KindUnderConstruction: "在建",
		planner.KindNewLand:           "新增用地",
		planner.KindOldFactory:        "旧厂区改造",
	}
	tierZh = map[planner.Tier]string{
		planner.TierBasic:    "基础型",
		planner.TierStandard: "标准型",
		planner.TierComplex:  "综合型",
	}
	statusZh = map[planner.SolveStatus]string{
		planner.StatusOptimal:    "最优（差距在目标以内）",
		planner.StatusFeasible:   "可行（已证明差距）",
		planner.StatusInfeasible: "无可行方案",
		planner.StatusNoPlan:     "时限内未找到方案",
	}
	protectedZh = map[planner.ProtectedKind]string{
		planner.ProtectedDevBoundary: "城镇开发边界",
		planner.ProtectedFarmland:    "永久基本农田",
		planner.ProtectedRedline:     "生态保护红线",
	}
	reasonZh = map[planner.UnplacedReason]string{
		planner.ReasonBarredPollution: "重污染，禁止入园",
		planner.ReasonLowScattered:    "低散乱，未整治提升",
		planner.ReasonSafety:          "安全生产不达标",
		planner.ReasonNoParkInReach:   "搬迁范围内无园区",
		planner.ReasonNoCapacity:      "园区容量或比例所限",
		planner.ReasonMuClass:         "亩均效益等级不足",
		planner.ReasonOutputPerMu:     "亩均产值低于门槛",
		planner.ReasonTaxPerMu:        "亩均税收低于门槛",
	}
	ruleZh = map[string]string{
		planner.RuleOpenOnce:         "一园一特",
		planner.RuleLocked:           "已建、在建及锁定园区",
		planner.RuleTargetParks:      "建园目标",
		planner.RuleEveryTown:        "每镇建园",
		planner.RuleNewLandCap:       "新增用地园区上限",
		planner.RuleQuota:            "用地指标",
		planner.RuleBudget:           "年度预算",
		planner.RuleCountyAllocation: "省下达县级新增用地指标",
		planner.RulePlaceOnce:        "企业只入一园",
		planner.RuleCapacity:         "园区容量",
		planner.RuleLink:             "只入已开园区",
		planner.RuleSpecialtyShare:   "主导产业（一镇一业）",
		planner.RuleSmallMicroShare:  "小微企业占比",
		planner.RuleProtected:        "三区三线",
		planner.RuleAdmission:        "入园准入",
		planner.RuleMuAdmission:      "亩产效益入园",
		planner.RuleRelocation:       "搬迁范围",
		planner.RuleTier:             "园区等级",
		rules.RuleObjective:          "目标值复核",
	}
)

// word returns m[k], or k itself when m has no word for it.
func word[K ~string](m map[K]string, k K) string {
	if w, ok := m[k]; ok {
		return w
	}
	return string(k)
}

// requirement states rule as the scenario sets it, in Chinese.
func requirement(rule string, sc planner.Scenario) string {
	switch rule {
	case planner.RuleOpenOnce:
		return "每个地块至多开园一次，一年、一个主导产业"
	case planner.RuleLocked:
		return "已建、在建园区及锁定地块全部纳入；排除地块不开园"
	case planner.RuleTargetParks:
		return fmt.Sprintf("%d 年前开园不少于 %d 个", sc.TargetYear, sc.TargetParks)
	case planner.RuleEveryTown:
		return fmt.Sprintf("%d 年前每个镇（街道）至少一个园区", sc.TargetYear)
	case planner.RuleNewLandCap:
		return fmt.Sprintf("新增建设用地上的园区不超过 %d 个", sc.MaxNewLandParks)
	case planner.RuleQuota:
		s := "各镇每年新增建设用地不超过当年用地指标"
		if sc.QuotaCarryOver {
			s += "（未用指标可结转）"
		}
		return s + "；旧厂区改造不占指标"
	case planner.RuleBudget:
		return "每年开园成本不超过当年预算"
	case planner.RuleCountyAllocation:
		return "全县每年新增建设用地不超过省下达的分配指标（各镇指标同时约束）"
	case planner.RulePlaceOnce:
		return "每家企业至多入驻一个园区"
	case planner.RuleCapacity:
		return fmt.Sprintf("入园企业建筑面积不超过 面积 × 容积率 × 可用比例 %s", pct(sc.UsableShare))
	case planner.RuleLink:
		return "企业只入驻已开园区"
	case planner.RuleSpecialtyShare:
		s := fmt.Sprintf("主导及关联产业企业占比 ≥ %s（企业数）、≥ %s（建筑面积）", pct(sc.SpecialtyShareFirms), pct(sc.SpecialtyShareFloor))
		if !sc.AllowOtherSpecialties {
			s += "；主导产业取自本镇块状产业"
		}
		return s
	case planner.RuleSmallMicroShare:
		return fmt.Sprintf("小微企业占园区企业数 ≥ %s", pct(sc.SmallMicroShare))
	case planner.RuleProtected:
		return fmt.Sprintf("不占永久基本农田、生态保护红线，不出城镇开发边界（容差 %s 亩）", dec(sc.ProtectedToleranceMu, 3))
	case planner.RuleAdmission:
		s := "重污染企业不入园；安全生产不达标不入园；低散乱企业"
		if sc.UpgradedLowScattered {
			return s + "按已整治提升计"
		}
		return s + "须整治提升后入园"
	case planner.RuleMuAdmission:
		var parts []string
		if sc.MinMuClass != "" {
			parts = append(parts, fmt.Sprintf("亩均效益等级 A–%s", sc.MinMuClass))
		}
		if sc.MinOutputPerMu > 0 {
			parts = append(parts, fmt.Sprintf("亩均产值 ≥ %s 万元", dec(sc.MinOutputPerMu, 1)))
		}
		if sc.MinTaxPerMu > 0 {
			parts = append(parts, fmt.Sprintf("亩均税收 ≥ %s 万元", dec(sc.MinTaxPerMu, 1)))
		}
		if len(sc.IndustryAdmission) > 0 {
			parts = append(parts, "分行业门槛")
		}
		if len(parts) == 0 {
			return "本情景未设亩均效益门槛"
		}
		return strings.Join(parts, "；")
	case planner.RuleRelocation:
		var parts []string
		if sc.WithinTown {
			parts = append(parts, "企业只在本镇内搬迁")
		}
		if sc.MaxRelocationKm > 0 {
			parts = append(parts, fmt.Sprintf("搬迁距离不超过 %s 公里", dec(sc.MaxRelocationKm, 1)))
		}
		if len(parts) == 0 {
			return "本情景不限搬迁距离"
		}
		return strings.Join(parts, "；")
	case planner.RuleTier:
		return "园区等级按面积：< 100 亩基础型，100–300 亩标准型，≥ 300 亩综合型"
	case rules.RuleObjective:
		return "方案目标值与按数据复算的目标值一致"
	}
	return rule
}

// figureText says a checklist figure in Chinese: what was measured where
// the rule is tightest, against the limit.
func (r *Report) figureText(f rules.Figure) string {
	switch f.Name {
	case "locked_parks_open":
		return fmt.Sprintf("锁定园区已纳入 %d / %d 个", int(f.Value), int(f.Limit))
	case "parks_by_target_year":
		return fmt.Sprintf("%s 年前开园 %d 个，要求 ≥ %d 个", f.Subject, int(f.Value), int(f.Limit))
	case "towns_with_park":
		return fmt.Sprintf("%s 年前有园区的镇 %d / %d 个", f.Subject, int(f.Value), int(f.Limit))
	case "new_land_parks":
		return fmt.Sprintf("新增用地园区 %d 个，上限 %d 个", int(f.Value), int(f.Limit))
	case "new_land_mu":
		return fmt.Sprintf("最紧：%s 新增用地 %s 亩 / 可用指标 %s 亩（共核 %d 镇年）", r.townYear(f.Subject), dec(f.Value, 2), dec(f.Limit, 2), f.Measured)
	case "county_new_land_mu":
		return fmt.Sprintf("最紧：%s 年全县新增用地 %s 亩 / 分配指标 %s 亩", f.Subject, dec(f.Value, 2), dec(f.Limit, 2))
	case "cost_wan":
		return fmt.Sprintf("最紧：%s 年开园成本 %s 万元 / 预算 %s 万元", f.Subject, dec(f.Value, 1), dec(f.Limit, 1))
	case "floor_used_m2":
		return fmt.Sprintf("最满：%s 已用 %s m² / 容量 %s m²（%s）", f.Subject, dec(f.Value, 0), dec(f.Limit, 0), pct(ratio(f.Value, f.Limit)))
	case "specialty_firm_share":
		return fmt.Sprintf("最低（企业数）：%s %s，要求 ≥ %s", f.Subject, pct(f.Value), pct(f.Limit))
	case "specialty_floor_share":
		return fmt.Sprintf("最低（建筑面积）：%s %s，要求 ≥ %s", f.Subject, pct(f.Value), pct(f.Limit))
	case "small_micro_share":
		return fmt.Sprintf("最低：%s %s，要求 ≥ %s（共核 %d 个有企业的园区）", f.Subject, pct(f.Value), pct(f.Limit), f.Measured)
	case "farmland_mu":
		return fmt.Sprintf("占永久基本农田最多：%s %s 亩", f.Subject, dec(f.Value, 3))
	case "redline_mu":
		return fmt.Sprintf("占生态保护红线最多：%s %s 亩", f.Subject, dec(f.Value, 3))
	case "outside_boundary_mu":
		return fmt.Sprintf("出城镇开发边界最多：%s %s 亩", f.Subject, dec(f.Value, 3))
	case "relocation_km":
		return fmt.Sprintf("最远搬迁：企业 %s %s 公里，上限 %s 公里", f.Subject, dec(f.Value, 2), dec(f.Limit, 1))
	case "objective":
		return fmt.Sprintf("复算 %s，方案 %s", dec(f.Value, 3), dec(f.Limit, 3))
	}
	return fmt.Sprintf("%s %s: %g / %g", f.Name, f.Subject, f.Value, f.Limit)
}

// townYear says "town/year" as "周巷镇 2020 年".
func (r *Report) townYear(key string) string {
	town, year, ok := strings.Cut(key, "/")
	if !ok {
		return key
	}
	return r.townName(town) + " " + year + " 年"
}

// townName is a town's Chinese name, or its code.
func (r *Report) townName(code string) string {
	for _, t := range r.Towns {
		if t.Town.Code == code && t.Town.NameZh != "" {
			return t.Town.NameZh
		}
	}
	return code
}

// industryName is an industry's Chinese name, or its code.
func (r *Report) industryName(code string) string {
	if in, ok := r.Industries[code]; ok && in.NameZh != "" {
		return in.NameZh
	}
	if code == "" {
		return "—"
	}
	return code
}

// stopReason says in Chinese why the solver stopped.
func stopReason(s planner.SolveInfo, sc planner.Scenario) string {
	switch s.Status {
	case planner.StatusOptimal:
		return fmt.Sprintf("差距达到目标（≤ %s）", pctFine(sc.GapTarget))
	case planner.StatusInfeasible:
		return "证明无可行方案"
	case planner.StatusNoPlan:
		return fmt.Sprintf("达到时间上限 %s，尚无方案", duration(sc.TimeLimit.Duration))
	}
	switch {
	case sc.NodeLimit > 0 && s.Nodes >= sc.NodeLimit:
		return fmt.Sprintf("达到节点上限 %s", dec(float64(sc.NodeLimit), 0))
	case sc.TimeLimit.Duration > 0 && s.Elapsed >= time.Duration(float64(sc.TimeLimit.Duration)*timeLimitReached):
		return fmt.Sprintf("达到时间上限 %s", duration(sc.TimeLimit.Duration))
	}
	return "上界不再改进，搜索结束"
}

// timeLimitReached is the share of the time limit after which a feasible
// solve counts as stopped by it (the solver checks the clock between nodes).
const timeLimitReached = 0.95

// pct writes a share (0–1) as a percentage with one decimal.
func pct(x float64) string { return dec(100*x, 1) + " %" }

// pctFine writes a small share (a gap) as a percentage with three decimals.
func pctFine(x float64) string { return strconv.FormatFloat(100*x, 'f', 3, 64) + " %" }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// duration writes d in seconds with one decimal.
func duration(d time.Duration) string { return dec(d.Seconds(), 1) + " 秒" }

// dec writes x with d decimals and thousands separators ("12,345.6").
func dec(x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := strconv.FormatFloat(x, 'f', d, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
