package rules

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// muAdmissionFault re-derives ruleMuAdmission (亩产效益入园, docs/model.md)
// for one firm from the scenario's fields alone: the reason the firm may
// not enter a park and a description with its figure and the threshold,
// or "" when it passes. Classes compare as letters (A best, D lowest).
func muAdmissionFault(e planner.Enterprise, sc planner.Scenario) (planner.UnplacedReason, string) {
	if min := string(sc.MinMuClass); min != "" && !sc.UpgradedMuClass {
		cls := string(e.MuClass)
		if len(cls) != 1 || cls < "A" || cls > "D" {
			return planner.ReasonMuClass, fmt.Sprintf("no 亩均效益 class on record, scenario admits A–%s", min)
		}
		if cls > min {
			return planner.ReasonMuClass, fmt.Sprintf("亩均效益 class %s, scenario admits A–%s", cls, min)
		}
	}
	out, tax := sc.MinOutputPerMu, sc.MinTaxPerMu
	if ia, ok := sc.IndustryAdmission[e.Industry]; ok {
		if ia.MinOutputPerMu > 0 {
			out = ia.MinOutputPerMu
		}
		if ia.MinTaxPerMu > 0 {
			tax = ia.MinTaxPerMu
		}
	}
	switch {
	case e.OutputPerMu < out:
		return planner.ReasonOutputPerMu, fmt.Sprintf("output %g per mu below the minimum %g for %s", e.OutputPerMu, out, e.Industry)
	case e.TaxPerMu < tax:
		return planner.ReasonTaxPerMu, fmt.Sprintf("tax %g per mu below the minimum %g for %s", e.TaxPerMu, tax, e.Industry)
	}
	return "", ""
}
