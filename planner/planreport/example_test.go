package planreport_test

import (
	"fmt"
	"strings"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/dataset/datasettest"
	"github.com/parkplan/parkplan/planner/planreport"
)

// DrawMap draws the towns, the protected land and each park of a plan
// as one SVG document; the height follows the county's proportions.
func ExampleDrawMap() {
	ds := datasettest.Small()
	plan := &planner.Plan{Parks: []planner.Park{
		{ParcelID: "P-01", Town: "zhouxiang", Specialty: "appliance", Tier: planner.TierStandard},
		{ParcelID: "P-03", Town: "guanhaiwei", Specialty: "textile", Tier: planner.TierStandard},
	}}
	svg := planreport.DrawMap(ds, plan, planreport.MapSize{WidthPx: 680, HeightPx: 500})
	fmt.Println(strings.HasPrefix(svg, "<svg"), strings.Count(svg, `<g class="park"`), strings.Contains(svg, "周巷镇"))
	fmt.Println(svg[strings.Index(svg, "viewBox"):strings.Index(svg, ` width`)])
	// Output:
	// true 2 true
	// viewBox="0 0 680 400"
}
