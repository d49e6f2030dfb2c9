// Package rules checks a plan against every rule of its scenario, from the
// dataset and the plan alone: it never reads the planner.Instance, the MPS
// model or the solver, so a fault in any of those shows up here. It also
// holds BruteForce, the enumerating oracle for tiny Instances.
package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// Tolerances of the checker.
const (
	// Tol is the absolute slack of count and share rows: exact ties
	// (7 of 10 firms at 70 %) must pass although 0.7 is not exact in binary.
	Tol = 1e-6
	// RelTol is the relative slack of area, floor-space, money and distance
	// comparisons (figures up to ~1e6 computed in different orders).
	RelTol = 1e-9
	// ObjectiveRelTol is how close the recomputed objective must be to the plan's.
	ObjectiveRelTol = 1e-6
)

// Violation is one broken rule.
type Violation struct {
	Rule    string // the rule's code name, e.g. planner.RuleQuota
	Subject string // what breaks it: a town, parcel, enterprise, year …
	Detail  string // in planning words, with the figures
}

// String is the violation in one line: rule, subject and detail.
func (v Violation) String() string { return v.Rule + " " + v.Subject + ": " + v.Detail }

func leq(a, b float64) bool { return a <= b+RelTol*math.Max(1, math.Abs(b)) }

type checker struct {
	ds       *planner.Dataset
	sc       planner.Scenario
	plan     *planner.Plan
	out      []Violation
	towns    map[string]planner.Town
	parcels  map[string]planner.Parcel
	firms    map[string]planner.Enterprise
	inds     map[string]planner.Industry
	parks    map[string]planner.Park
	lockIn   map[string]bool
	lockOut  map[string]bool
	placedIn map[string]string // enterprise → parcel
	centroid map[string]orb.Point
	quota    map[string]float64 // "town/year" → mu, as in the dataset
	figs     map[string]*Figure // Checklist's figures by name; nil for Check
}

// centroidOf is a parcel's centroid, computed once per parcel.
func (c *checker) centroidOf(p planner.Parcel) orb.Point {
	if c.centroid == nil {
		c.centroid = map[string]orb.Point{}
	}
	pt, ok := c.centroid[p.ID]
	if !ok {
		pt = geo.Centroid(p.Geometry)
		c.centroid[p.ID] = pt
	}
	return pt
}

func (c *checker) fail(rule, subject, format string, args ...any) {
	c.out = append(c.out, Violation{Rule: rule, Subject: subject, Detail: fmt.Sprintf(format, args...)})
}

// Check re-derives every rule of docs/model.md for plan from ds and sc and
// returns what is broken, sorted by rule and subject; nil means the plan
// keeps every rule and its objective is right.
func Check(ds *planner.Dataset, sc planner.Scenario, plan *planner.Plan) []Violation {
	c := newChecker(ds, sc, plan)
	c.run()
	return c.out
}

// newChecker indexes ds and sc (normalised) for checking plan.
func newChecker(ds *planner.Dataset, sc planner.Scenario, plan *planner.Plan) *checker {
	sc.Normalize()
	c := &checker{ds: ds, sc: sc, plan: plan,
		towns: map[string]planner.Town{}, parcels: map[string]planner.Parcel{}, firms: map[string]planner.Enterprise{},
		inds: map[string]planner.Industry{}, parks: map[string]planner.Park{}, lockIn: map[string]bool{}, lockOut: map[string]bool{},
		placedIn: map[string]string{}}
	for _, t := range ds.Towns {
		c.towns[t.Code] = t
	}
	for _, p := range ds.Parcels {
		c.parcels[p.ID] = p
	}
	for _, e := range ds.Enterprises {
		c.firms[e.ID] = e
	}
	for _, i := range ds.Industries {
		c.inds[i.Code] = i
	}
	for _, id := range sc.LockIn {
		c.lockIn[id] = true
	}
	for _, id := range sc.LockOut {
		c.lockOut[id] = true
	}
	return c
}

// run checks every rule and sorts the violations by rule and subject.
func (c *checker) run() {
	c.checkParks()
	c.checkSiteRules()
	c.checkFirms()
	c.checkParkContents()
	c.checkObjective()
	sort.SliceStable(c.out, func(i, j int) bool {
		if c.out[i].Rule != c.out[j].Rule {
			return c.out[i].Rule < c.out[j].Rule
		}
		return c.out[i].Subject < c.out[j].Subject
	})
}

// builtPark reports whether a parcel is a locked-in built or under-construction park.
func (c *checker) builtPark(p planner.Parcel) bool { return p.Kind.Locked() && !c.sc.UnlockExisting }

// parkCost is what opening the park costs in the plan: built parks are sunk.
func (c *checker) parkCost(p planner.Parcel) float64 {
	if c.builtPark(p) {
		return 0
	}
	return p.CostWan
}

// capacity is the floor entrants may take, m² (docs/model.md).
func (c *checker) capacity(p planner.Parcel) float64 {
	full := p.AreaMu * planner.MuM2 * p.FAR * c.sc.UsableShare
	if p.Kind == planner.KindExisting {
		full -= p.FloorM2
	}
	return math.Max(0, full)
}

func (c *checker) checkParks() {
	sc := c.sc
	for _, pk := range c.plan.Parks {
		p, ok := c.parcels[pk.ParcelID]
		if !ok {
			c.fail(planner.RuleOpenOnce, pk.ParcelID, "park on a parcel that is not in the dataset")
			continue
		}
		if _, dup := c.parks[pk.ParcelID]; dup {
			c.fail(planner.RuleOpenOnce, pk.ParcelID, "parcel opens twice")
		}
		c.parks[pk.ParcelID] = pk
		if c.lockOut[p.ID] {
			c.fail(planner.RuleLocked, p.ID, "parcel is in lock_out but opens")
		}
		if pk.Town != p.Town || pk.Kind != p.Kind {
			c.fail(planner.RuleOpenOnce, p.ID, "park says town %s kind %s; parcel is town %s kind %s", pk.Town, pk.Kind, p.Town, p.Kind)
		}
		built := c.builtPark(p)
		// Open year.
		if built {
			want := p.OpenYear
			switch {
			case want == 0:
				want = sc.FirstYear
			case want > sc.LastYear:
				want = sc.LastYear
			}
			if pk.OpenYear != want {
				c.fail(planner.RuleLocked, p.ID, "locked park opens in %d, plan says %d", want, pk.OpenYear)
			}
		} else if pk.OpenYear < sc.FirstYear || pk.OpenYear > sc.LastYear {
			c.fail(planner.RuleOpenOnce, p.ID, "opens in %d, outside %d–%d", pk.OpenYear, sc.FirstYear, sc.LastYear)
		}
		if c.lockIn[p.ID] && !built && pk.OpenYear != sc.FirstYear {
			c.fail(planner.RuleLocked, p.ID, "lock_in parcel opens in %d, not %d", pk.OpenYear, sc.FirstYear)
		}
		// Specialty: one, from the town's block industries.
		town := c.towns[p.Town]
		if _, ok := c.inds[pk.Specialty]; !ok {
			c.fail(planner.RuleSpecialtyShare, p.ID, "specialty %q is not a known industry", pk.Specialty)
		} else if built {
			if _, known := c.inds[p.Specialty]; known && pk.Specialty != p.Specialty {
				c.fail(planner.RuleLocked, p.ID, "built park's specialty is %s, plan says %s", p.Specialty, pk.Specialty)
			}
		} else if !sc.AllowOtherSpecialties && !contains(town.Industries, pk.Specialty) {
			c.fail(planner.RuleSpecialtyShare, p.ID, "specialty %s is not among town %s's block industries %v (一镇一业)", pk.Specialty, p.Town, town.Industries)
		}
		// Protected land.
		if !built && !c.lockIn[p.ID] {
			o := c.ds.Overlaps[p.ID]
			tol := sc.ProtectedToleranceMu
			c.measure("farmland_mu", p.ID, o.FarmlandMu, tol, false)
			c.measure("redline_mu", p.ID, o.RedlineMu, tol, false)
			c.measure("outside_boundary_mu", p.ID, o.OutsideBoundaryMu, tol, false)
			if o.FarmlandMu > tol {
				c.fail(planner.RuleProtected, p.ID, "overlaps permanent basic farmland by %.3f mu (tolerance %g)", o.FarmlandMu, tol)
			}
			if o.RedlineMu > tol {
				c.fail(planner.RuleProtected, p.ID, "overlaps the ecological red line by %.3f mu (tolerance %g)", o.RedlineMu, tol)
			}
			if o.OutsideBoundaryMu > tol {
				c.fail(planner.RuleProtected, p.ID, "lies outside the development boundary by %.3f mu (tolerance %g)", o.OutsideBoundaryMu, tol)
			}
		}
		if pk.Tier != planner.TierOf(p.AreaMu) {
			c.fail(planner.RuleTier, p.ID, "tier %s for %.1f mu, want %s", pk.Tier, p.AreaMu, planner.TierOf(p.AreaMu))
		}
	}
	// Locked parks must be open.
	locked, open := 0, 0
	for _, p := range c.ds.Parcels {
		if c.lockOut[p.ID] || !(c.builtPark(p) || c.lockIn[p.ID]) {
			continue
		}
		locked++
		if c.parks[p.ID].ParcelID == "" {
			c.fail(planner.RuleLocked, p.ID, "locked %s park is missing from the plan", p.Kind)
		} else {
			open++
		}
	}
	c.measure("locked_parks_open", "", float64(open), float64(locked), true)
}

func (c *checker) quotaOf(town string, year int) float64 {
	if c.quota == nil {
		c.quota = map[string]float64{}
		for _, r := range c.ds.Quotas {
			c.quota[r.Town+"/"+strconv.Itoa(r.Year)] += r.NewLandMu
		}
	}
	key := town + "/" + strconv.Itoa(year)
	return math.Max(0, c.sc.QuotaScale*c.quota[key]+c.sc.QuotaExtra[key])
}

func (c *checker) checkSiteRules() {
	sc := c.sc
	byTarget, newLand := 0, 0
	covered := map[string]bool{}
	landUse := map[string]map[int]float64{}
	spend := map[int]float64{}
	for _, pk := range c.plan.Parks {
		p, ok := c.parcels[pk.ParcelID]
		if !ok {
			continue
		}
		if pk.OpenYear <= sc.TargetYear {
			byTarget++
			covered[p.Town] = true
		}
		if p.Kind == planner.KindNewLand {
			newLand++
			if landUse[p.Town] == nil {
				landUse[p.Town] = map[int]float64{}
			}
			landUse[p.Town][pk.OpenYear] += p.AreaMu
		}
		spend[pk.OpenYear] += c.parkCost(p)
	}
	c.measure("parks_by_target_year", strconv.Itoa(sc.TargetYear), float64(byTarget), float64(sc.TargetParks), true)
	if byTarget < sc.TargetParks {
		c.fail(planner.RuleTargetParks, strconv.Itoa(sc.TargetYear), "%d parks open by %d, target %d", byTarget, sc.TargetYear, sc.TargetParks)
	}
	if sc.EveryTown {
		c.measure("towns_with_park", strconv.Itoa(sc.TargetYear), float64(len(covered)), float64(len(c.ds.Towns)), true)
		for _, t := range c.ds.Towns {
			if !covered[t.Code] {
				c.fail(planner.RuleEveryTown, t.Code, "no park open by %d (每镇建园)", sc.TargetYear)
			}
		}
	}
	if sc.MaxNewLandParks >= 0 {
		c.measure("new_land_parks", "", float64(newLand), float64(sc.MaxNewLandParks), false)
	}
	if sc.MaxNewLandParks >= 0 && newLand > sc.MaxNewLandParks {
		c.fail(planner.RuleNewLandCap, "county", "%d parks on new land, cap %d", newLand, sc.MaxNewLandParks)
	}
	for _, t := range c.ds.Towns {
		used, quota := 0.0, 0.0
		for y := sc.FirstYear; y <= sc.LastYear; y++ {
			if !sc.QuotaCarryOver {
				used, quota = 0, 0
			}
			used += landUse[t.Code][y]
			quota += c.quotaOf(t.Code, y)
			if used > 0 || quota > 0 { // a town-year with neither quota nor use tells nothing
				c.measure("new_land_mu", fmt.Sprintf("%s/%d", t.Code, y), used, quota, false)
			}
			if !leq(used, quota) {
				c.fail(planner.RuleQuota, fmt.Sprintf("%s/%d", t.Code, y), "new land used %.2f mu, quota %.2f mu", used, quota)
			}
		}
	}
	for y := sc.FirstYear; y <= sc.LastYear; y++ {
		alloc, ok := sc.CountyAllocation[y]
		if !ok {
			continue
		}
		used := 0.0
		for _, t := range c.ds.Towns {
			used += landUse[t.Code][y]
		}
		c.measure("county_new_land_mu", strconv.Itoa(y), used, alloc, false)
		if !leq(used, alloc) {
			c.fail(planner.RuleCountyAllocation, strconv.Itoa(y), "new land used %.2f mu in the county, allocation %.2f mu", used, alloc)
		}
	}
	for y, b := range c.sc.Budget {
		c.measure("cost_wan", strconv.Itoa(y), spend[y], b, false)
		if !leq(spend[y], b) {
			c.fail(planner.RuleBudget, strconv.Itoa(y), "parks opened cost %.2f (10,000 yuan), budget %.2f", spend[y], b)
		}
	}
}

func (c *checker) checkFirms() {
	sc := c.sc
	seen := map[string]bool{}
	for _, a := range c.plan.Assignments {
		e, ok := c.firms[a.EnterpriseID]
		if !ok {
			c.fail(planner.RulePlaceOnce, a.EnterpriseID, "assigned firm is not in the dataset")
			continue
		}
		if seen[e.ID] {
			c.fail(planner.RulePlaceOnce, e.ID, "firm placed twice")
		}
		seen[e.ID] = true
		c.placedIn[e.ID] = a.ParcelID
		p, ok := c.parcels[a.ParcelID]
		if _, open := c.parks[a.ParcelID]; !ok || !open {
			c.fail(planner.RuleLink, e.ID, "placed in %s, which is not an open park", a.ParcelID)
			continue
		}
		switch {
		case e.Pollution == planner.PollutionHeavy:
			c.fail(planner.RuleAdmission, e.ID, "heavy polluter placed in %s", p.ID)
		case e.LowScattered && !sc.UpgradedLowScattered:
			c.fail(planner.RuleAdmission, e.ID, "low/scattered firm placed in %s without upgrading", p.ID)
		case !e.SafetyOK:
			c.fail(planner.RuleAdmission, e.ID, "firm failing the safety record placed in %s", p.ID)
		}
		if why, detail := muAdmissionFault(e, sc); why != "" {
			c.fail(planner.RuleMuAdmission, e.ID, "placed in %s: %s", p.ID, detail)
		}
		if sc.WithinTown && e.Town != p.Town {
			c.fail(planner.RuleRelocation, e.ID, "moves from town %s to %s's park %s", e.Town, p.Town, p.ID)
		}
		d := geo.DistanceM(c.towns[e.Town].Seat, c.centroidOf(p))
		if sc.MaxRelocationKm > 0 {
			c.measure("relocation_km", e.ID, d/1000, sc.MaxRelocationKm, false)
		}
		if sc.MaxRelocationKm > 0 && !leq(d/1000, sc.MaxRelocationKm) {
			c.fail(planner.RuleRelocation, e.ID, "moves %.2f km (town seat %s → %s), cap %g km", d/1000, e.Town, p.ID, sc.MaxRelocationKm)
		}
		if math.Abs(d-a.DistanceM) > 1e-3*math.Max(1, d) {
			c.fail(planner.RuleRelocation, e.ID, "distance %.1f m reported, %.1f m measured", a.DistanceM, d)
		}
	}
	for _, u := range c.plan.Unplaced {
		if seen[u.EnterpriseID] {
			c.fail(planner.RulePlaceOnce, u.EnterpriseID, "firm both placed and unplaced")
		}
		seen[u.EnterpriseID] = true
		e := c.firms[u.EnterpriseID]
		var want planner.UnplacedReason
		switch {
		case e.Pollution == planner.PollutionHeavy:
			want = planner.ReasonBarredPollution
		case e.LowScattered && !sc.UpgradedLowScattered:
			want = planner.ReasonLowScattered
		case !e.SafetyOK:
			want = planner.ReasonSafety
		}
		rule := planner.RuleAdmission
		if want == "" {
			rule = planner.RuleMuAdmission
			want, _ = muAdmissionFault(e, sc)
		}
		if want != "" && u.Reason != want {
			c.fail(rule, e.ID, "unplaced for %s, want %s", u.Reason, want)
		}
	}
	for _, e := range c.ds.Enterprises {
		if !seen[e.ID] {
			c.fail(planner.RulePlaceOnce, e.ID, "firm neither placed nor listed as unplaced")
		}
	}
}

func (c *checker) related(spec, industry string) bool {
	if spec == industry {
		return true
	}
	return contains(c.inds[spec].Related, industry)
}

func (c *checker) checkParkContents() {
	sc := c.sc
	type tally struct{ firms, related, small, floor, relFloor float64 }
	t := map[string]*tally{}
	for _, a := range c.plan.Assignments {
		pk, open := c.parks[a.ParcelID]
		e, ok := c.firms[a.EnterpriseID]
		if !open || !ok {
			continue
		}
		x := t[a.ParcelID]
		if x == nil {
			x = &tally{}
			t[a.ParcelID] = x
		}
		x.firms++
		x.floor += e.FloorM2
		if c.related(pk.Specialty, e.Industry) {
			x.related++
			x.relFloor += e.FloorM2
		}
		if e.Size.SmallMicro() {
			x.small++
		}
	}
	for _, pk := range c.plan.Parks {
		p, ok := c.parcels[pk.ParcelID]
		if !ok {
			continue
		}
		x := t[pk.ParcelID]
		if x == nil {
			x = &tally{}
		}
		if pk.Firms != int(x.firms) || math.Abs(pk.FloorUsedM2-x.floor) > RelTol*math.Max(1, x.floor)+Tol {
			c.fail(planner.RuleCapacity, p.ID, "park reports %d firms / %.1f m²; assignments give %d / %.1f m²", pk.Firms, pk.FloorUsedM2, int(x.firms), x.floor)
		}
		cap := c.capacity(p)
		c.measure("floor_used_m2", p.ID, x.floor, cap, false)
		if !leq(x.floor, cap) {
			c.fail(planner.RuleCapacity, p.ID, "floor used %.1f m² > capacity %.1f m² (%.2f mu × %.2f m²/mu × FAR %.2f × usable %.2f)", x.floor, cap, p.AreaMu, planner.MuM2, p.FAR, sc.UsableShare)
		}
		if x.firms == 0 {
			continue
		}
		c.measure("specialty_firm_share", p.ID, x.related/x.firms, sc.SpecialtyShareFirms, true)
		c.measure("specialty_floor_share", p.ID, x.relFloor/math.Max(x.floor, Tol), sc.SpecialtyShareFloor, true)
		c.measure("small_micro_share", p.ID, x.small/x.firms, sc.SmallMicroShare, true)
		if x.related < sc.SpecialtyShareFirms*x.firms-Tol {
			c.fail(planner.RuleSpecialtyShare, p.ID, "specialty %s and related: %d of %d firms (%.1f %%), need %.0f %%", pk.Specialty, int(x.related), int(x.firms), 100*x.related/x.firms, 100*sc.SpecialtyShareFirms)
		}
		if x.relFloor < sc.SpecialtyShareFloor*x.floor-Tol*math.Max(1, x.floor) {
			c.fail(planner.RuleSpecialtyShare, p.ID, "specialty %s and related: %.0f of %.0f m² (%.1f %%), need %.0f %%", pk.Specialty, x.relFloor, x.floor, 100*x.relFloor/x.floor, 100*sc.SpecialtyShareFloor)
		}
		if x.small < sc.SmallMicroShare*x.firms-Tol {
			c.fail(planner.RuleSmallMicroShare, p.ID, "small/micro: %d of %d firms (%.1f %%), need %.0f %%", int(x.small), int(x.firms), 100*x.small/x.firms, 100*sc.SmallMicroShare)
		}
	}
}

// Objective recomputes a plan's objective from the dataset (docs/model.md).
func Objective(ds *planner.Dataset, sc planner.Scenario, plan *planner.Plan) float64 {
	c := &checker{ds: ds, sc: sc}
	return c.objective(plan)
}

func (c *checker) objective(plan *planner.Plan) float64 {
	w := c.sc.Weights
	parcels := map[string]planner.Parcel{}
	for _, p := range c.ds.Parcels {
		parcels[p.ID] = p
	}
	towns := map[string]planner.Town{}
	for _, t := range c.ds.Towns {
		towns[t.Code] = t
	}
	firms := map[string]planner.Enterprise{}
	for _, e := range c.ds.Enterprises {
		firms[e.ID] = e
	}
	obj := 0.0
	for _, pk := range plan.Parks {
		p := parcels[pk.ParcelID]
		obj -= w.Cost * c.parkCost(p)
		if p.Kind == planner.KindNewLand {
			obj -= (w.LandMu+c.sc.NewLandPrice[pk.OpenYear])*p.AreaMu + c.sc.NewLandParkPrice
		}
		// a park open before the horizon earns the first year's bonus
		obj += c.sc.ParkBonus[max(pk.OpenYear, c.sc.FirstYear)]
	}
	for _, a := range plan.Assignments {
		e := firms[a.EnterpriseID]
		p := parcels[a.ParcelID]
		d := geo.DistanceM(towns[e.Town].Seat, c.centroidOf(p)) / 1000
		out := e.OutputPerMu * e.FloorM2 / planner.MuM2
		obj += w.FloorM2*e.FloorM2 + w.Firms + w.Output*out - w.DistanceKm*d
	}
	return obj
}

func (c *checker) checkObjective() {
	got := c.objective(c.plan)
	want := c.plan.Solve.Objective
	c.measure("objective", c.plan.Scenario, got, want, false)
	if math.Abs(got-want) > ObjectiveRelTol*math.Max(1, math.Abs(got)) {
		c.fail("objective", c.plan.Scenario, "plan says %.9g, recomputed %.9g", want, got)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Format lists violations one per line.
func Format(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.String())
		b.WriteByte('\n')
	}
	return b.String()
}
