package evaluate

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// refillGap is the gap target of a refill solve: staying firms carry a
// large value (see buildRefill), so the objective is large and a relative
// gap must be tiny to prove the refill itself optimal.
const refillGap = 1e-9

// SolveFunc solves an Instance (planner/engine.Parkplan or engine.CBC).
type SolveFunc func(ctx context.Context, inst *planner.Instance, progress func(planner.Progress)) (*planner.Solution, error)

// ExitList is 把好出口 for one year: the firms on record that no longer
// meet the scenario's admission rules, and the parks whose 70 % rules
// break, now or once those firms leave, each with its best refill.
type ExitList struct {
	Year  int        `json:"year"`
	Firms []ExitFirm `json:"firms"` // by park, then firm
	Parks []ParkExit `json:"parks"` // parks with leaving firms or a broken share rule, by id
}

// ExitFirm is a firm on record that fails the admission rule.
type ExitFirm struct {
	FirmID   string  `json:"firm_id"`
	ParkID   string  `json:"park_id"`
	Industry string  `json:"industry"`
	FloorM2  float64 `json:"floor_m2"`
	Reason   string  `json:"reason"`
}

// ParkExit is a park with leaving firms or a broken share rule.
type ParkExit struct {
	ParkID      string      `json:"park_id"`
	Specialty   string      `json:"specialty"`
	Leaving     int         `json:"leaving"`
	BrokenNow   []Violation `json:"broken_now,omitempty"`   // share rules broken with every firm on record
	BrokenAfter []Violation `json:"broken_after,omitempty"` // share rules broken once the leaving firms are gone
	Refill      *Refill     `json:"refill,omitempty"`       // when a share rule breaks now or after
}

// Refill is the best re-placement into a park with its staying firms
// fixed: which admissible firms waiting outside (dataset enterprises not
// on the year's record, within the relocation rule) restore the share
// rules and use the free floor best, by the scenario's objective weights.
// It is exact (docs/evaluation.md): the solver proves it optimal.
type Refill struct {
	FreeFloorM2         float64            `json:"free_floor_m2"` // vacant floor plus the leaving firms' floor
	Waiting             int                `json:"waiting"`       // admissible firms in reach that fit
	Entrants            []RefillFirm       `json:"entrants"`
	Restores            bool               `json:"restores"` // every staying firm kept and every share rule holds
	FloorAddedM2        float64            `json:"floor_added_m2"`
	SpecialtyShareFirms float64            `json:"specialty_share_firms"` // after the refill, staying firms included
	SpecialtyShareFloor float64            `json:"specialty_share_floor"`
	SmallMicroShare     float64            `json:"small_micro_share"`
	Solve               planner.SolveInfo  `json:"solve"`
	inst                *planner.Instance  // the model solved (tests, CBC cross-check)
	stay                []planner.FirmYear // the staying firms
}

// RefillFirm is a waiting firm the refill moves into the park.
type RefillFirm struct {
	EnterpriseID string            `json:"enterprise_id"`
	Town         string            `json:"town"`
	Industry     string            `json:"industry"`
	Size         planner.SizeClass `json:"size"`
	FloorM2      float64           `json:"floor_m2"`
	DistanceKm   float64           `json:"distance_km"` // town seat to park centroid
}

// Instance is the refill's model (a planner.Instance with the park as its
// one locked site), for cross-checks.
func (r *Refill) Instance() *planner.Instance { return r.inst }

// Staying are the park's firms that stay (fixed in the refill).
func (r *Refill) Staying() []planner.FirmYear { return r.stay }

// Exits builds the exit list of year and solves each breaking park's
// refill with solve. Errors are the solver's (other than infeasibility,
// which cannot happen: an empty refill is always a plan) or EINVALID for
// a year without a record.
func Exits(ctx context.Context, in Input, year int, solve SolveFunc) (*ExitList, error) {
	e := newEvaluator(in)
	if len(e.parkYears[year]) == 0 {
		return nil, planner.Errorf(planner.EINVALID, "no monitoring record for %d (years on record: %v)", year, in.Monitoring.Years())
	}
	onRecord := map[string]bool{}
	for _, f := range in.Monitoring.Firms {
		if f.Year == year {
			onRecord[f.FirmID] = true
		}
	}
	out := &ExitList{Year: year}
	for _, py := range e.parkYears[year] {
		p, ok := e.parcels[py.ParkID]
		if !ok {
			return nil, planner.Errorf(planner.EINVALID, "monitoring %d: park %s is not a parcel of the dataset", year, py.ParkID)
		}
		spec := e.specialty(p)
		var stay, leave []planner.FirmYear
		for _, f := range e.firms[year][py.ParkID] {
			if why := admissionFailure(f, in.Scenario); why != "" {
				leave = append(leave, f)
				out.Firms = append(out.Firms, ExitFirm{FirmID: f.FirmID, ParkID: p.ID, Industry: f.Industry, FloorM2: f.FloorM2, Reason: why})
				continue
			}
			stay = append(stay, f)
		}
		px := ParkExit{ParkID: p.ID, Specialty: spec, Leaving: len(leave),
			BrokenNow:   e.shareRules(spec, e.firms[year][py.ParkID], nil),
			BrokenAfter: e.shareRules(spec, stay, nil)}
		if len(px.BrokenNow) > 0 || len(px.BrokenAfter) > 0 {
			free := py.FloorVacantM2
			for _, f := range leave {
				free += f.FloorM2
			}
			r, err := e.refill(ctx, p, spec, year, stay, free, onRecord, solve)
			if err != nil {
				return nil, fmt.Errorf("refill of %s: %w", p.ID, err)
			}
			px.Refill = r
		}
		if px.Leaving > 0 || px.Refill != nil {
			out.Parks = append(out.Parks, px)
		}
	}
	return out, nil
}

// shareRules lists the 70 % rules broken by firms on record plus entrants.
func (e *evaluator) shareRules(spec string, firms []planner.FirmYear, entrants []planner.Enterprise) []Violation {
	s := e.shares(spec, firms, entrants)
	var out []Violation
	sc := e.in.Scenario
	if s.n == 0 {
		return nil
	}
	if s.related < sc.SpecialtyShareFirms*s.n-shareTol {
		out = append(out, Violation{"ruleSpecialtyShare", fmt.Sprintf("specialty %s and related: %.1f %% of firms, need %.0f %%", spec, 100*s.related/s.n, 100*sc.SpecialtyShareFirms)})
	}
	if s.relFloor < sc.SpecialtyShareFloor*s.floor-shareTol*math.Max(1, s.floor) {
		out = append(out, Violation{"ruleSpecialtyShare", fmt.Sprintf("specialty %s and related: %.1f %% of floor, need %.0f %%", spec, 100*s.relFloor/s.floor, 100*sc.SpecialtyShareFloor)})
	}
	if s.small < sc.SmallMicroShare*s.n-shareTol {
		out = append(out, Violation{"ruleSmallMicroShare", fmt.Sprintf("small/micro: %.1f %% of firms, need %.0f %%", 100*s.small/s.n, 100*sc.SmallMicroShare)})
	}
	return out
}

type shareTally struct{ n, related, small, floor, relFloor float64 }

func (e *evaluator) shares(spec string, firms []planner.FirmYear, entrants []planner.Enterprise) shareTally {
	var s shareTally
	add := func(ind string, sm bool, floor float64) {
		s.n++
		s.floor += floor
		if e.related(spec, ind) {
			s.related++
			s.relFloor += floor
		}
		if sm {
			s.small++
		}
	}
	for _, f := range firms {
		add(f.Industry, f.Size.SmallMicro(), f.FloorM2)
	}
	for _, x := range entrants {
		add(x.Industry, x.Size.SmallMicro(), x.FloorM2)
	}
	return s
}

// refillKey groups firms the refill cannot tell apart.
type refillKey struct {
	stay           bool
	town, industry int
	small          bool
	floor, value   float64
}

// refill builds and solves park p's refill model: one locked site (the
// park, its specialty fixed, capacity = staying firms' floor + free), the
// staying firms as groups worth stayValue each (more than every waiting
// firm together, so the optimum keeps them all whenever any plan does),
// and the waiting firms in reach as groups worth the scenario's arc value.
func (e *evaluator) refill(ctx context.Context, p planner.Parcel, spec string, year int, stay []planner.FirmYear, free float64,
	onRecord map[string]bool, solve SolveFunc) (*Refill, error) {
	sc := e.in.Scenario
	ds := e.in.Dataset
	inst := &planner.Instance{Years: []int{year}, TargetT: 0, BudgetWan: []float64{math.Inf(1)}}
	inst.Scenario = sc
	inst.Scenario.FirstYear, inst.Scenario.LastYear, inst.Scenario.TargetYear = year, year, year
	inst.Scenario.TargetParks, inst.Scenario.EveryTown, inst.Scenario.MaxNewLandParks = 0, false, -1
	inst.Scenario.GapTarget = refillGap
	towns := append([]planner.Town(nil), ds.Towns...)
	sort.Slice(towns, func(i, j int) bool { return towns[i].Code < towns[j].Code })
	townIdx := map[string]int{}
	for i, t := range towns {
		townIdx[t.Code] = i
		inst.Towns = append(inst.Towns, t.Code)
		inst.QuotaMu = append(inst.QuotaMu, []float64{0})
	}
	inds := make([]string, 0, len(e.inds))
	for c := range e.inds {
		inds = append(inds, c)
	}
	sort.Strings(inds)
	indIdx := map[string]int{}
	for i, c := range inds {
		indIdx[c] = i
	}
	inst.Industries = inds
	inst.Related = make([][]bool, len(inds))
	for i, a := range inds {
		inst.Related[i] = make([]bool, len(inds))
		for j, b := range inds {
			inst.Related[i][j] = e.related(a, b)
		}
	}
	k, ok := indIdx[spec]
	if !ok {
		return nil, planner.Errorf(planner.EINVALID, "park %s has no known specialty (%q)", p.ID, spec)
	}
	centroid := geo.Centroid(p.Geometry)
	stayFloor := 0.0
	for _, f := range stay {
		stayFloor += f.FloorM2
	}
	inst.Sites = []planner.Site{{ParcelID: p.ID, Town: townIdx[p.Town], Kind: planner.KindExisting, AreaMu: p.AreaMu,
		CapacityM2: stayFloor + free, Locked: true, Specialties: []int{k}, Centroid: centroid}}
	// Waiting firms: admissible, not on the record, in reach, fitting.
	groups := map[refillKey]*planner.Group{}
	dist := map[refillKey]float64{}
	var keys []refillKey
	r := &Refill{FreeFloorM2: free, inst: inst, stay: stay}
	firms := append([]planner.Enterprise(nil), ds.Enterprises...)
	sort.Slice(firms, func(i, j int) bool { return firms[i].ID < firms[j].ID })
	seat := map[string]planner.Town{}
	for _, t := range towns {
		seat[t.Code] = t
	}
	w := sc.Weights
	for _, x := range firms {
		if onRecord[x.ID] || x.FloorM2 > free+floorTol {
			continue
		}
		if why, _ := planner.Admission(x, sc); why != "" {
			continue
		}
		t, ok := seat[x.Town]
		ki, okI := indIdx[x.Industry]
		if !ok || !okI || (sc.WithinTown && x.Town != p.Town) {
			continue
		}
		d := geo.DistanceM(t.Seat, centroid) / 1000
		if sc.MaxRelocationKm > 0 && d > sc.MaxRelocationKm+floorTol {
			continue
		}
		r.Waiting++
		out := x.OutputPerMu * x.FloorM2 / planner.MuM2
		key := refillKey{town: townIdx[x.Town], industry: ki, small: x.Size.SmallMicro(), floor: x.FloorM2,
			value: w.FloorM2*x.FloorM2 + w.Firms + w.Output*out - w.DistanceKm*d}
		g := groups[key]
		if g == nil {
			g = &planner.Group{Town: key.town, Industry: ki, SmallMicro: key.small, FloorM2: x.FloorM2, OutputWan: out}
			groups[key] = g
			dist[key] = d
			keys = append(keys, key)
		}
		g.Count++
		g.Members = append(g.Members, x.ID)
	}
	stayValue := 1.0
	for _, key := range keys {
		stayValue += float64(groups[key].Count) * math.Max(0, key.value)
	}
	for _, f := range stay {
		key := refillKey{stay: true, town: townIdx[p.Town], industry: indIdx[f.Industry], small: f.Size.SmallMicro(), floor: f.FloorM2, value: stayValue}
		g := groups[key]
		if g == nil {
			g = &planner.Group{Town: key.town, Industry: key.industry, SmallMicro: key.small, FloorM2: f.FloorM2}
			groups[key] = g
			keys = append(keys, key)
		}
		g.Count++
		g.Members = append(g.Members, f.FirmID)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	for gi, key := range keys {
		inst.Groups = append(inst.Groups, *groups[key])
		inst.Arcs = append(inst.Arcs, planner.Arc{Group: gi, Site: 0, DistanceKm: dist[key], Value: key.value})
	}
	sol, err := solve(ctx, inst, nil)
	if err != nil {
		return nil, err
	}
	r.Solve = sol.Info
	kept := 0
	var entrants []planner.Enterprise
	byID := map[string]planner.Enterprise{}
	for _, x := range firms {
		byID[x.ID] = x
	}
	for a, c := range sol.Count {
		key := keys[inst.Arcs[a].Group]
		if key.stay {
			kept += c
			continue
		}
		for _, id := range inst.Groups[inst.Arcs[a].Group].Members[:c] {
			x := byID[id]
			entrants = append(entrants, x)
			r.Entrants = append(r.Entrants, RefillFirm{EnterpriseID: id, Town: x.Town, Industry: x.Industry, Size: x.Size, FloorM2: x.FloorM2, DistanceKm: dist[key]})
			r.FloorAddedM2 += x.FloorM2
		}
	}
	sort.Slice(r.Entrants, func(i, j int) bool { return r.Entrants[i].EnterpriseID < r.Entrants[j].EnterpriseID })
	s := e.shares(spec, stay, entrants)
	if s.n > 0 {
		r.SpecialtyShareFirms, r.SmallMicroShare = s.related/s.n, s.small/s.n
	}
	if s.floor > 0 {
		r.SpecialtyShareFloor = s.relFloor / s.floor
	}
	r.Restores = kept == len(stay) && len(e.shareRules(spec, stay, entrants)) == 0
	return r, nil
}

// floorTol absorbs rounding in floor and distance comparisons (m², km).
const floorTol = 1e-9

func (k refillKey) less(o refillKey) bool {
	switch {
	case k.stay != o.stay:
		return k.stay
	case k.town != o.town:
		return k.town < o.town
	case k.industry != o.industry:
		return k.industry < o.industry
	case k.small != o.small:
		return !k.small
	case k.floor != o.floor:
		return k.floor < o.floor
	}
	return k.value < o.value
}
