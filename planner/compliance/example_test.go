package compliance_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

// A town with 40 mu of new-land quota in 2020 opens a 55 mu park on new
// land and renovates 30 mu of old factory land: 15 mu over, and the park
// that causes it is named.
func ExampleBuildLedger() {
	ds := &planner.Dataset{
		Towns:  []planner.Town{{Code: "zhangqi", NameZh: "掌起镇", NameEn: "Zhangqi Zhen"}},
		Quotas: []planner.Quota{{Town: "zhangqi", Year: 2020, NewLandMu: 40}},
	}
	plan := &planner.Plan{Parks: []planner.Park{
		{ParcelID: "ZQ-N1", Town: "zhangqi", Kind: planner.KindNewLand, OpenYear: 2020, AreaMu: 55},
		{ParcelID: "ZQ-O1", Town: "zhangqi", Kind: planner.KindOldFactory, OpenYear: 2020, AreaMu: 30},
	}}
	sc := &planner.Scenario{FirstYear: 2020, LastYear: 2020}
	led := compliance.BuildLedger(plan, ds, sc)
	for _, r := range led.Rows {
		fmt.Printf("%s %d: quota %.0f, new land %.0f, old factory %.0f, remaining %.0f, over %v %v\n",
			r.NameZh, r.Year, r.QuotaMu, r.NewLandUsedMu, r.OldFactoryMu, r.RemainingMu, r.Over, r.NewLandParks)
	}
	report := compliance.Assemble("example", led, nil, compliance.DefaultToleranceMu)
	for _, v := range report.Violations {
		fmt.Println(v.Kind, v.AreaMu, v.Parks)
	}
	// Output:
	// 掌起镇 2020: quota 40, new land 55, old factory 30, remaining -15, over true [ZQ-N1]
	// over_quota 15 [ZQ-N1]
}
