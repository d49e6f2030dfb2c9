package planner

import (
	"fmt"
	"strconv"
	"strings"
)

// MuClass is a firm's yearly 亩均效益 class in Zhejiang's comprehensive
// evaluation of firms by output and tax per mu (亩均效益综合评价): A is
// the best, D the lowest (D-class firms must rectify and upgrade). ""
// means no class is on record.
type MuClass string

// 亩均效益 classes.
const (
	MuClassA MuClass = "A"
	MuClassB MuClass = "B"
	MuClassC MuClass = "C"
	MuClassD MuClass = "D"
)

// Valid reports whether c is A, B, C or D.
func (c MuClass) Valid() bool { return c.Rank() > 0 }

// Rank is 1 for A … 4 for D, 0 for no class or an unknown one.
func (c MuClass) Rank() int {
	switch c {
	case MuClassA:
		return 1
	case MuClassB:
		return 2
	case MuClassC:
		return 3
	case MuClassD:
		return 4
	}
	return 0
}

// IndustryAdmission holds one industry's 亩均效益 thresholds; a value > 0
// replaces the scenario's global threshold for firms of that industry.
type IndustryAdmission struct {
	MinOutputPerMu float64 `json:"min_output_per_mu,omitempty" yaml:"min_output_per_mu,omitempty"` // 10,000 yuan/mu/year
	MinTaxPerMu    float64 `json:"min_tax_per_mu,omitempty" yaml:"min_tax_per_mu,omitempty"`       // 10,000 yuan/mu/year
}

// MuThresholds returns the minimum output and tax per mu (10,000
// yuan/mu/year, 0 for none) a firm of industry must reach under sc: the
// industry's own figure when the scenario gives one (> 0), else the global.
func (sc *Scenario) MuThresholds(industry string) (minOutput, minTax float64) {
	minOutput, minTax = sc.MinOutputPerMu, sc.MinTaxPerMu
	if ia, ok := sc.IndustryAdmission[industry]; ok {
		if ia.MinOutputPerMu > 0 {
			minOutput = ia.MinOutputPerMu
		}
		if ia.MinTaxPerMu > 0 {
			minTax = ia.MinTaxPerMu
		}
	}
	return minOutput, minTax
}

// muAdmission is the 亩均效益 admission rule (ruleMuAdmission,
// docs/model.md): a firm below the scenario's minimum class (unless the
// scenario counts such firms as upgraded), or below its industry's
// minimum output or tax per mu, stays out. It returns the reason and a
// detail with the firm's figure and the threshold, or "" when admitted.
func muAdmission(e Enterprise, sc *Scenario) (UnplacedReason, string) {
	if minRank := sc.MinMuClass.Rank(); minRank > 0 && !sc.UpgradedMuClass {
		if r := e.MuClass.Rank(); r == 0 {
			return ReasonMuClass, fmt.Sprintf("no 亩均效益 class on record; scenario admits classes A–%s", sc.MinMuClass)
		} else if r > minRank {
			return ReasonMuClass, fmt.Sprintf("亩均效益 class %s; scenario admits classes A–%s (others after upgrading)", e.MuClass, sc.MinMuClass)
		}
	}
	minOut, minTax := sc.MuThresholds(e.Industry)
	if e.OutputPerMu < minOut {
		return ReasonOutputPerMu, fmt.Sprintf("output %s < minimum %s (10,000 yuan/mu/year, %s)", fig(e.OutputPerMu), fig(minOut), thresholdScope(sc, e.Industry, true))
	}
	if e.TaxPerMu < minTax {
		return ReasonTaxPerMu, fmt.Sprintf("tax %s < minimum %s (10,000 yuan/mu/year, %s)", fig(e.TaxPerMu), fig(minTax), thresholdScope(sc, e.Industry, false))
	}
	return "", ""
}

// exclusionDetail is the figure-and-threshold detail of a firm kept out
// for why: muAdmission's detail when why is one of its reasons, else "".
func exclusionDetail(e Enterprise, sc *Scenario, why UnplacedReason) string {
	if r, d := muAdmission(e, sc); r == why {
		return d
	}
	return ""
}

// thresholdScope says whether a threshold is the industry's or the global one.
func thresholdScope(sc *Scenario, industry string, output bool) string {
	ia := sc.IndustryAdmission[industry]
	if (output && ia.MinOutputPerMu > 0) || (!output && ia.MinTaxPerMu > 0) {
		return "threshold for " + industry
	}
	return "global threshold"
}

// fig writes a figure in its shortest form (150, 12.5).
func fig(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// MaxMuThreshold bounds the 亩均效益 thresholds, 10,000 yuan/mu/year:
// the best Zhejiang firms make a few thousand per mu.
const MaxMuThreshold = 1e6

// validateAdmission checks the 亩均效益 admission fields, reporting each
// fault through bad (Validate's field-path reporter).
func (sc *Scenario) validateAdmission(bad func(field, format string, args ...any)) {
	threshold := func(field string, v float64) {
		if !(v >= 0 && v <= MaxMuThreshold) {
			bad(field, "must be in 0…%g (10,000 yuan/mu/year; 0: no threshold), got %v", MaxMuThreshold, v)
		}
	}
	threshold("min_output_per_mu", sc.MinOutputPerMu)
	threshold("min_tax_per_mu", sc.MinTaxPerMu)
	for _, k := range sortedKeys(sc.IndustryAdmission) {
		if k == "" || strings.IndexByte(k, 0) >= 0 {
			bad("industry_admission."+strings.ReplaceAll(k, "\x00", `\x00`), "key must be an industry code")
			continue
		}
		ia := sc.IndustryAdmission[k]
		threshold("industry_admission."+k+".min_output_per_mu", ia.MinOutputPerMu)
		threshold("industry_admission."+k+".min_tax_per_mu", ia.MinTaxPerMu)
	}
	if sc.MinMuClass != "" && !sc.MinMuClass.Valid() {
		bad("min_mu_class", "must be A, B, C or D (or left out for no class rule), got %q", sc.MinMuClass)
	}
}

// checkAdmissionRefs reports industry_admission keys that name no
// industry of the dataset (BuildInstance's dataset check).
func checkAdmissionRefs(sc *Scenario, industries map[string]int) error {
	for _, k := range sortedKeys(sc.IndustryAdmission) {
		if _, ok := industries[k]; !ok {
			return FieldErrorf("industry_admission."+k, "no industry %q in the dataset", k)
		}
	}
	return nil
}

// Admission returns why firm e may not enter any park under sc, with the
// figure-and-threshold detail of a 亩均效益 reason, or "" when it may:
// the pre-model filter of docs/model.md (eligibleFirm), for callers
// outside the model (the refill of planner/evaluate).
func Admission(e Enterprise, sc Scenario) (UnplacedReason, string) {
	why := eligibleFirm(e, sc)
	return why, exclusionDetail(e, &sc, why)
}
