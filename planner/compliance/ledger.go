package compliance

import (
	"fmt"
	"math"
	"sort"

	"github.com/parkplan/parkplan/planner"
)

// LedgerToleranceMu is how far new-land use may exceed a quota before the
// row is flagged: 0.001 mu (0.67 m²), well below any parcel's area figure
// precision, so float sums of quotas and areas never raise false alarms.
const LedgerToleranceMu = 1e-3

// LedgerRow is one town's quota account for one year, in mu.
//
// Available = QuotaMu + CarriedInMu; RemainingMu = Available − NewLandUsedMu
// (negative when over); CarriedOutMu is the unused quota passed to the next
// year when the scenario allows carry-over (0 otherwise). OldFactoryMu is
// renovated old-factory land opened that year: it draws on no quota.
type LedgerRow struct {
	Town   string `json:"town"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	Year   int    `json:"year"`
	// OfficialQuotaMu is the quota the bureau granted (the dataset's quota row).
	OfficialQuotaMu float64 `json:"official_quota_mu"`
	// QuotaMu is the quota the plan was made under: official × scenario
	// quota_scale + quota_extra["town/year"], never below 0 (as the model has it).
	QuotaMu       float64 `json:"quota_mu"`
	CarriedInMu   float64 `json:"carried_in_mu"`
	AvailableMu   float64 `json:"available_mu"`
	NewLandUsedMu float64 `json:"new_land_used_mu"`
	OldFactoryMu  float64 `json:"old_factory_mu"`
	RemainingMu   float64 `json:"remaining_mu"`
	CarriedOutMu  float64 `json:"carried_out_mu"`
	// Over is set when NewLandUsedMu exceeds AvailableMu; OverMu is by how much.
	Over   bool    `json:"over"`
	OverMu float64 `json:"over_mu"`
	// BeyondOfficialMu is new land used beyond the official quota (with
	// carry-over of official quota when the scenario allows it): quota the
	// plan needs but the bureau has not granted. 0 when within.
	BeyondOfficialMu float64 `json:"beyond_official_mu"`
	// NewLandParks are the new-land parks opening in this town and year,
	// the parks that cause an over-quota row; OldFactoryParks likewise.
	NewLandParks    []string `json:"new_land_parks"`
	OldFactoryParks []string `json:"old_factory_parks"`
}

// Ledger is the quota account of every town and year of a plan, rows
// ordered by town code then year.
type Ledger struct {
	CarryOver bool        `json:"carry_over"`
	Years     []int       `json:"years"`
	Rows      []LedgerRow `json:"rows"`
	// Totals sums every row (AvailableMu, RemainingMu and carry are not summed).
	Totals LedgerTotals `json:"totals"`
	// Notes lists parks the ledger could not place (unknown town, no open year).
	Notes []string `json:"notes,omitempty"`
}

// LedgerTotals are column sums over all ledger rows, in mu.
type LedgerTotals struct {
	OfficialQuotaMu  float64 `json:"official_quota_mu"`
	QuotaMu          float64 `json:"quota_mu"`
	NewLandUsedMu    float64 `json:"new_land_used_mu"`
	OldFactoryMu     float64 `json:"old_factory_mu"`
	OverMu           float64 `json:"over_mu"`
	BeyondOfficialMu float64 `json:"beyond_official_mu"`
	OverRows         int     `json:"over_rows"`
}

// QuotaKey is the key of Scenario.QuotaExtra for a town and year ("zhouxiang/2020").
func QuotaKey(town string, year int) string { return fmt.Sprintf("%s/%d", town, year) }

// ScenarioQuotaMu returns the quota a scenario grants town in year, given
// the official quota: official × QuotaScale + QuotaExtra["town/year"],
// floored at 0 as planner.BuildInstance does (a negative extra cannot go
// below no quota). A zero QuotaScale (defaults not applied) counts as 1.
func ScenarioQuotaMu(sc *planner.Scenario, town string, year int, officialMu float64) float64 {
	scale := sc.QuotaScale
	if scale == 0 {
		scale = 1
	}
	return math.Max(0, officialMu*scale+sc.QuotaExtra[QuotaKey(town, year)])
}

// ScenarioYears returns the scenario's planning years FirstYear…LastYear;
// when the scenario names none, the years of the dataset's quota rows.
func ScenarioYears(ds *planner.Dataset, sc *planner.Scenario) []int {
	var years []int
	if sc.FirstYear > 0 && sc.LastYear >= sc.FirstYear {
		for y := sc.FirstYear; y <= sc.LastYear; y++ {
			years = append(years, y)
		}
		return years
	}
	seen := map[int]bool{}
	for _, q := range ds.Quotas {
		if !seen[q.Year] {
			seen[q.Year] = true
			years = append(years, q.Year)
		}
	}
	sort.Ints(years)
	return years
}

// ParkLand is what the ledger needs of a park or proposed parcel: where,
// when and on which kind of land it opens.
type ParkLand struct {
	ParcelID string
	Town     string
	Kind     planner.ParcelKind
	OpenYear int // 0 when not scheduled
	AreaMu   float64
}

// PlanLand returns the ledger inputs of a plan's parks.
func PlanLand(plan *planner.Plan) []ParkLand {
	out := make([]ParkLand, 0, len(plan.Parks))
	for _, p := range plan.Parks {
		out = append(out, ParkLand{ParcelID: p.ParcelID, Town: p.Town, Kind: p.Kind, OpenYear: p.OpenYear, AreaMu: p.AreaMu})
	}
	return out
}

// BuildLedger returns the quota ledger of a plan made from ds under sc.
// Only new-land and old-factory parks enter it (existing and
// under-construction parks are already built or approved); new-land parks
// draw on their town's quota in their opening year, old-factory parks are
// listed beside it. A plan's parks in years outside the scenario's horizon
// get rows of their own.
func BuildLedger(plan *planner.Plan, ds *planner.Dataset, sc *planner.Scenario) *Ledger {
	return LedgerOf(PlanLand(plan), ds, sc)
}

// LedgerOf is BuildLedger on any list of parks (a plan's or proposed parcels).
// Parks of an unknown town or with no opening year are listed in Notes.
func LedgerOf(parks []ParkLand, ds *planner.Dataset, sc *planner.Scenario) *Ledger {
	type key struct {
		town string
		year int
	}
	official := map[key]float64{}
	for _, q := range ds.Quotas {
		official[key{q.Town, q.Year}] += q.NewLandMu
	}
	towns := map[string]planner.Town{}
	for _, t := range ds.Towns {
		towns[t.Code] = t
	}
	yearSet := map[int]bool{}
	years := ScenarioYears(ds, sc)
	for _, y := range years {
		yearSet[y] = true
	}
	led := &Ledger{CarryOver: sc.QuotaCarryOver}
	used := map[key]*LedgerRow{}
	row := func(town string, year int) *LedgerRow {
		k := key{town, year}
		if r, ok := used[k]; ok {
			return r
		}
		r := &LedgerRow{Town: town, Year: year, NewLandParks: []string{}, OldFactoryParks: []string{}}
		used[k] = r
		return r
	}
	for _, t := range ds.Towns {
		for _, y := range years {
			row(t.Code, y)
		}
	}
	for _, p := range parks {
		if p.Kind != planner.KindNewLand && p.Kind != planner.KindOldFactory {
			continue
		}
		if _, ok := towns[p.Town]; !ok {
			led.Notes = append(led.Notes, fmt.Sprintf("park %s: town %q is not in the dataset; left out of the ledger", p.ParcelID, p.Town))
			continue
		}
		if p.OpenYear == 0 {
			led.Notes = append(led.Notes, fmt.Sprintf("park %s (%s, %.3f mu): no opening year; left out of the ledger", p.ParcelID, p.Kind, p.AreaMu))
			continue
		}
		if !yearSet[p.OpenYear] {
			yearSet[p.OpenYear] = true
			years = append(years, p.OpenYear)
		}
		r := row(p.Town, p.OpenYear)
		if p.Kind == planner.KindNewLand {
			r.NewLandUsedMu += p.AreaMu
			r.NewLandParks = append(r.NewLandParks, p.ParcelID)
		} else {
			r.OldFactoryMu += p.AreaMu
			r.OldFactoryParks = append(r.OldFactoryParks, p.ParcelID)
		}
	}
	sort.Ints(years)
	led.Years = years
	codes := make([]string, 0, len(towns))
	for c := range towns {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		t := towns[c]
		carry, carryOfficial := 0.0, 0.0
		for _, y := range years {
			r := row(c, y)
			r.NameZh, r.NameEn = t.NameZh, t.NameEn
			r.OfficialQuotaMu = official[key{c, y}]
			r.QuotaMu = ScenarioQuotaMu(sc, c, y, r.OfficialQuotaMu)
			r.CarriedInMu = carry
			r.AvailableMu = r.QuotaMu + carry
			r.RemainingMu = r.AvailableMu - r.NewLandUsedMu
			if r.RemainingMu < -LedgerToleranceMu {
				r.Over = true
				r.OverMu = -r.RemainingMu
			}
			officialAvail := r.OfficialQuotaMu + carryOfficial
			if beyond := r.NewLandUsedMu - officialAvail; beyond > LedgerToleranceMu {
				r.BeyondOfficialMu = beyond
			}
			carry, carryOfficial = 0, 0
			if sc.QuotaCarryOver {
				carry = math.Max(0, r.RemainingMu)
				carryOfficial = math.Max(0, officialAvail-r.NewLandUsedMu)
				r.CarriedOutMu = carry
			}
			sort.Strings(r.NewLandParks)
			sort.Strings(r.OldFactoryParks)
			led.Rows = append(led.Rows, *r)
			tot := &led.Totals
			tot.OfficialQuotaMu += r.OfficialQuotaMu
			tot.QuotaMu += r.QuotaMu
			tot.NewLandUsedMu += r.NewLandUsedMu
			tot.OldFactoryMu += r.OldFactoryMu
			tot.OverMu += r.OverMu
			tot.BeyondOfficialMu += r.BeyondOfficialMu
			if r.Over {
				tot.OverRows++
			}
		}
	}
	return led
}

// CompareWithPlan checks the ledger against the plan's own town summaries
// (Plan.Towns) and returns one line per figure that differs by more than
// LedgerToleranceMu: quota, new land used and old-factory land, by town and
// year. An empty result means the ledger and the plan agree.
func CompareWithPlan(led *Ledger, plan *planner.Plan) []string {
	var diffs []string
	byTown := map[string]planner.TownSummary{}
	for _, ts := range plan.Towns {
		byTown[ts.Town] = ts
	}
	for _, r := range led.Rows {
		ts, ok := byTown[r.Town]
		if !ok {
			if r.NewLandUsedMu != 0 || r.OldFactoryMu != 0 {
				diffs = append(diffs, fmt.Sprintf("%s: in the ledger with land used but not in the plan's towns", r.Town))
			}
			continue
		}
		cmp := func(what string, ledger, plan float64) {
			if math.Abs(ledger-plan) > LedgerToleranceMu {
				diffs = append(diffs, fmt.Sprintf("%s %d %s: ledger %.3f mu, plan %.3f mu", r.Town, r.Year, what, ledger, plan))
			}
		}
		if ts.QuotaMu != nil {
			cmp("quota", r.QuotaMu, ts.QuotaMu[r.Year])
		}
		cmp("new land used", r.NewLandUsedMu, ts.NewLandUsedMu[r.Year])
		cmp("old factory", r.OldFactoryMu, ts.OldFactoryMu[r.Year])
	}
	return diffs
}
