package demo

import "github.com/parkplan/parkplan/planner"

// Yearly new-land quota set aside for parks, per town, mu (synthetic).
// The seed says only that the natural-resources bureau reserves a share of
// each year's land indicators for parks. The demo makes 2019–2020 tight
// (no town can open a 300–500 mu new-land parcel before 2021 without
// carrying quota over) and 2021–2022 looser.
var (
	quotaEarly = []float64{0, 40, 80, 120, 160, 200} // 2019, 2020
	quotaLate  = []float64{120, 200, 300, 400, 500}  // 2021, 2022
)

// Planning years with quotas.
const (
	FirstYear = 2019
	LastYear  = 2022
)

func (c *county) quotas() {
	for _, t := range c.towns {
		for y := FirstYear; y <= LastYear; y++ {
			levels := quotaEarly
			if y >= 2021 {
				levels = quotaLate
			}
			c.ds.Quotas = append(c.ds.Quotas, planner.Quota{Town: t.t.Code, Year: y, NewLandMu: levels[c.rng.IntN(len(levels))]})
		}
	}
}
