package compliance

import (
	"fmt"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// Report is the bureau's check of one plan or one upload of proposed parcels.
type Report struct {
	// Source says what was checked: "scenario baseline", "parcels proposed.geojson", …
	Source       string  `json:"source"`
	Scenario     string  `json:"scenario,omitempty"`
	ScenarioHash string  `json:"scenario_hash,omitempty"`
	ToleranceMu  float64 `json:"tolerance_mu"`
	// Stale says when the checked saved plan was built on an older dataset
	// revision than the data checked against: "stale: built on r12, the
	// data is r13; re-run" (planner.StaleNotice); "" otherwise.
	Stale string `json:"stale,omitempty"`
	// PlanStatus and Objective are the checked plan's solve status and
	// objective (scenarios only); Explanation says why an infeasible
	// scenario has no plan.
	PlanStatus  string               `json:"plan_status,omitempty"`
	Objective   float64              `json:"objective,omitempty"`
	Bound       float64              `json:"bound,omitempty"` // the solver's proven upper bound
	Gap         float64              `json:"gap,omitempty"`
	Explanation *planner.Explanation `json:"explanation,omitempty"`
	// PlanKPI are the checked plan's headline figures (scenarios only).
	PlanKPI *planner.KPIs `json:"plan_kpi,omitempty"`
	// Clean is true when there is no violation (slivers do not count).
	Clean      bool          `json:"clean"`
	Ledger     *Ledger       `json:"ledger"`
	Parcels    []ParcelCheck `json:"parcels"`
	Violations []Violation   `json:"violations"`
	Slivers    []Violation   `json:"slivers"`
	// Marginal and QuotaIncrease are filled only when asked (they re-solve).
	Marginal      []MarginalValue `json:"marginal_value,omitempty"`
	QuotaIncrease *QuotaIncrease  `json:"quota_increase,omitempty"`
	// SavedID is the id of the stored check when the caller asked to keep
	// it, and SavedAt when it was kept (UTC, whole seconds).
	SavedID int64     `json:"saved_id,omitempty"`
	SavedAt time.Time `json:"saved_at,omitzero"`
}

// Assemble builds a report from a ledger and the spatial checks: every
// over-quota row, every ledger row beyond the official quota by more than
// it is over the scenario's quota, every invalid
// geometry and every protected-land overlap of at least toleranceMu becomes a
// violation; smaller non-zero overlaps become slivers. Violations are ordered
// by kind, town, year, parcel.
func Assemble(source string, led *Ledger, checks []ParcelCheck, toleranceMu float64) *Report {
	r := &Report{Source: source, ToleranceMu: toleranceMu, Ledger: led, Parcels: checks,
		Violations: []Violation{}, Slivers: []Violation{}}
	if r.Parcels == nil {
		r.Parcels = []ParcelCheck{}
	}
	if led != nil {
		for _, row := range led.Rows {
			if row.Over {
				r.Violations = append(r.Violations, Violation{
					Kind: ViolationOverQuota, Town: row.Town, Year: row.Year, AreaMu: row.OverMu, Parks: row.NewLandParks,
					Detail: fmt.Sprintf("%s %d: new land %.3f mu over an available quota of %.3f mu (quota %.3f + carried %.3f): over by %.3f mu",
						townLabel(row), row.Year, row.NewLandUsedMu, row.AvailableMu, row.QuotaMu, row.CarriedInMu, row.OverMu),
				})
			}
			// Beyond the official quota only when the scenario's extra quota
			// hides part of it (otherwise it is the over_quota row again).
			if row.BeyondOfficialMu > row.OverMu+LedgerToleranceMu {
				r.Violations = append(r.Violations, Violation{
					Kind: ViolationBeyondOfficial, Town: row.Town, Year: row.Year, AreaMu: row.BeyondOfficialMu, Parks: row.NewLandParks,
					Detail: fmt.Sprintf("%s %d: new land %.3f mu needs %.3f mu beyond the official quota of %.3f mu (the scenario's quota is %.3f mu)",
						townLabel(row), row.Year, row.NewLandUsedMu, row.BeyondOfficialMu, row.OfficialQuotaMu, row.QuotaMu),
				})
			}
		}
	}
	for _, c := range checks {
		if !c.Valid {
			r.Violations = append(r.Violations, Violation{
				Kind: ViolationInvalidGeometry, ParcelID: c.ParcelID, Town: c.Town, Year: c.OpenYear,
				Detail: fmt.Sprintf("parcel %s: invalid geometry (%s); not repaired, overlaps not computed", c.ParcelID, c.InvalidReason),
			})
			continue
		}
		for _, o := range []struct {
			kind ViolationKind
			mu   float64
			what string
			geom orb.MultiPolygon
		}{
			{ViolationFarmland, c.FarmlandMu, "overlaps permanent basic farmland", c.Farmland},
			{ViolationRedline, c.RedlineMu, "overlaps the ecological red line", c.Redline},
			{ViolationOutsideBoundary, c.OutsideBoundaryMu, "lies outside the urban development boundary", c.OutsideBoundary},
		} {
			if o.mu <= 0 {
				continue
			}
			v := Violation{Kind: o.kind, ParcelID: c.ParcelID, Town: c.Town, Year: c.OpenYear, AreaMu: o.mu}
			if o.geom != nil {
				v.Geometry = o.geom
			}
			if o.mu < toleranceMu {
				v.Detail = fmt.Sprintf("parcel %s: %.4f mu %s, below the %.3f mu tolerance (sliver)", c.ParcelID, o.mu, o.what, toleranceMu)
				r.Slivers = append(r.Slivers, v)
				continue
			}
			v.Detail = fmt.Sprintf("parcel %s: %.3f mu %s", c.ParcelID, o.mu, o.what)
			r.Violations = append(r.Violations, v)
		}
	}
	order := func(vs []Violation) {
		sort.SliceStable(vs, func(i, j int) bool {
			a, b := vs[i], vs[j]
			if a.Kind != b.Kind {
				return kindRank(a.Kind) < kindRank(b.Kind)
			}
			if a.Town != b.Town {
				return a.Town < b.Town
			}
			if a.Year != b.Year {
				return a.Year < b.Year
			}
			return a.ParcelID < b.ParcelID
		})
	}
	order(r.Violations)
	order(r.Slivers)
	r.Clean = len(r.Violations) == 0
	return r
}

func kindRank(k ViolationKind) int {
	for i, x := range []ViolationKind{ViolationInvalidGeometry, ViolationOverQuota, ViolationBeyondOfficial,
		ViolationFarmland, ViolationRedline, ViolationOutsideBoundary} {
		if k == x {
			return i
		}
	}
	return 99
}

func townLabel(r LedgerRow) string {
	if r.NameZh != "" {
		return r.NameZh + " (" + r.Town + ")"
	}
	return r.Town
}

// CountByKind returns the number of violations of each kind.
func (r *Report) CountByKind() map[ViolationKind]int {
	m := map[ViolationKind]int{}
	for _, v := range r.Violations {
		m[v.Kind]++
	}
	return m
}
