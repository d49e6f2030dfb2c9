package mip_test

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/plantest"
)

// Example builds the baseline's model on the hand-made two-town dataset
// and lists its quota rows: rule, what each binds, and its right-hand side.
func Example() {
	inst, err := planner.BuildInstance(plantest.Hand(), planner.Defaults())
	if err != nil {
		panic(err)
	}
	m := mip.Build(inst, mip.Compact)
	fmt.Println(len(m.Columns), "columns,", len(m.Rows), "rows")
	for i, r := range m.Rows {
		if r.Rule == planner.RuleQuota && r.Year <= 1 {
			fmt.Printf("%s %c %g\n", m.Meaning(i), r.Sense, r.RHS)
		}
	}
	// Output:
	// 32 columns, 53 rows
	// ruleQuota town=guanhaiwei year=2019 L 0
	// ruleQuota town=guanhaiwei year=2020 L 50
	// ruleQuota town=zhouxiang year=2019 L 20
	// ruleQuota town=zhouxiang year=2020 L 20
}
