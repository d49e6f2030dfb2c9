package planner

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/geo"
)

// buildTol absorbs rounding when a firm's floor need is compared with a
// site's capacity and a distance with the relocation cap (m² and km; far
// below any figure that matters).
const buildTol = 1e-9

// BuildInstance makes the model of docs/model.md from a dataset and a
// scenario: the admissible sites (parcel-id order), groups of identical
// admissible firms (key order), and the arcs between them (site, then group
// order). The result depends only on its inputs. Scenario fields that name
// dataset objects (lock_in, lock_out, quota_extra) are checked here and
// reported as EINVALID field errors.
func BuildInstance(ds *Dataset, sc Scenario) (*Instance, error) {
	sc.Normalize()
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	b := &builder{ds: ds, sc: sc, inst: &Instance{Scenario: sc}}
	for y := sc.FirstYear; y <= sc.LastYear; y++ {
		b.inst.Years = append(b.inst.Years, y)
	}
	b.inst.TargetT = sc.TargetYear - sc.FirstYear
	if err := b.indexTowns(); err != nil {
		return nil, err
	}
	if err := b.checkScenarioRefs(); err != nil {
		return nil, err
	}
	b.buildSites()
	if err := b.buildGroups(); err != nil {
		return nil, err
	}
	b.buildQuotaBudget()
	sort.Strings(b.inst.Warnings)
	return b.inst, nil
}

type builder struct {
	ds      *Dataset
	sc      Scenario
	inst    *Instance
	townIdx map[string]int
	indIdx  map[string]int
	towns   []Town // sorted by code
	// seatKm[town][site]: town seat to site centroid, km (computed once per pair).
	seatKm [][]float64
}

func (b *builder) indexTowns() error {
	b.towns = append([]Town(nil), b.ds.Towns...)
	sort.Slice(b.towns, func(i, j int) bool { return b.towns[i].Code < b.towns[j].Code })
	b.townIdx = map[string]int{}
	for i, t := range b.towns {
		if _, dup := b.townIdx[t.Code]; dup {
			return Errorf(EINVALID, "dataset: town %q appears twice", t.Code)
		}
		b.townIdx[t.Code] = i
		b.inst.Towns = append(b.inst.Towns, t.Code)
	}
	inds := append([]Industry(nil), b.ds.Industries...)
	sort.Slice(inds, func(i, j int) bool { return inds[i].Code < inds[j].Code })
	b.indIdx = map[string]int{}
	for i, ind := range inds {
		b.indIdx[ind.Code] = i
		b.inst.Industries = append(b.inst.Industries, ind.Code)
	}
	b.inst.Related = make([][]bool, len(inds))
	for i, ind := range inds {
		b.inst.Related[i] = make([]bool, len(inds))
		b.inst.Related[i][i] = true
		for _, r := range ind.Related {
			if j, ok := b.indIdx[r]; ok {
				b.inst.Related[i][j] = true
			}
		}
	}
	return nil
}

func (b *builder) checkScenarioRefs() error {
	parcels := map[string]bool{}
	for _, p := range b.ds.Parcels {
		parcels[p.ID] = true
	}
	for i, id := range b.sc.LockIn {
		if !parcels[id] {
			return FieldErrorf("lock_in["+strconv.Itoa(i)+"]", "no parcel %q in the dataset", id)
		}
	}
	for i, id := range b.sc.LockOut {
		if !parcels[id] {
			return FieldErrorf("lock_out["+strconv.Itoa(i)+"]", "no parcel %q in the dataset", id)
		}
	}
	for _, k := range sortedKeys(b.sc.QuotaExtra) {
		town, _, _ := strings.Cut(k, "/")
		if _, ok := b.townIdx[town]; !ok {
			return FieldErrorf("quota_extra."+k, "no town %q in the dataset", town)
		}
	}
	return checkAdmissionRefs(&b.sc, b.indIdx)
}

// townSpecialties returns the specialties a candidate in town t may take
// (一镇一业): the town's block industries, or every industry when the
// scenario allows others; sorted by industry index.
func (b *builder) townSpecialties(t Town) []int {
	var ks []int
	if b.sc.AllowOtherSpecialties {
		for k := range b.inst.Industries {
			ks = append(ks, k)
		}
		return ks
	}
	for _, code := range t.Industries {
		if k, ok := b.indIdx[code]; ok {
			ks = append(ks, k)
		}
	}
	sort.Ints(ks)
	return uniqueInts(ks)
}

// mainSpecialty is a town's main block industry (its first known one), −1 if none.
func (b *builder) mainSpecialty(t Town) int {
	for _, code := range t.Industries {
		if k, ok := b.indIdx[code]; ok {
			return k
		}
	}
	return -1
}

// siteCapacity is the floor space entrants may take in a parcel, m²
// (docs/model.md): area × MuM2 × FAR × usable share; for a built park,
// less the floor already built.
func siteCapacity(p Parcel, usable float64) float64 {
	full := p.AreaMu * MuM2 * p.FAR * usable
	if p.Kind == KindExisting {
		return math.Max(0, full-p.FloorM2)
	}
	return full
}

// siteFixedValue is the objective term paid when a site opens (≤ 0).
func siteFixedValue(kind ParcelKind, areaMu, costWan float64, w Weights) float64 {
	v := -w.Cost * costWan
	if kind == KindNewLand {
		v -= w.LandMu * areaMu
	}
	return v
}

// siteProtected reports a parcel's overlaps beyond the tolerance, in words;
// "" when clear. It is RuleProtected's filter: a candidate it flags is
// dropped (DroppedSite.Rule), a locked park only warned about.
func siteProtected(o Overlap, tolMu float64) string {
	switch {
	case o.FarmlandMu > tolMu:
		return fmt.Sprintf("overlaps permanent basic farmland by %.2f mu (tolerance %g mu)", o.FarmlandMu, tolMu)
	case o.RedlineMu > tolMu:
		return fmt.Sprintf("overlaps the ecological red line by %.2f mu (tolerance %g mu)", o.RedlineMu, tolMu)
	case o.OutsideBoundaryMu > tolMu:
		return fmt.Sprintf("lies outside the urban development boundary by %.2f mu (tolerance %g mu)", o.OutsideBoundaryMu, tolMu)
	}
	return ""
}

func (b *builder) buildSites() {
	in := map[string]bool{}
	for _, id := range b.sc.LockIn {
		in[id] = true
	}
	out := map[string]bool{}
	for _, id := range b.sc.LockOut {
		out[id] = true
	}
	parcels := append([]Parcel(nil), b.ds.Parcels...)
	sort.Slice(parcels, func(i, j int) bool { return parcels[i].ID < parcels[j].ID })
	drop := func(p Parcel, rule, why string) {
		b.inst.Dropped = append(b.inst.Dropped, DroppedSite{ParcelID: p.ID, Town: p.Town, Rule: rule, Reason: why})
	}
	for _, p := range parcels {
		ti, ok := b.townIdx[p.Town]
		if !ok {
			drop(p, "", fmt.Sprintf("town %q is not in the dataset", p.Town))
			continue
		}
		town := b.towns[ti]
		if out[p.ID] {
			drop(p, RuleLocked, "in the scenario's lock_out")
			continue
		}
		builtPark := p.Kind.Locked() && !b.sc.UnlockExisting
		locked := builtPark || in[p.ID]
		if why := siteProtected(b.ds.Overlaps[p.ID], b.sc.ProtectedToleranceMu); why != "" {
			if !locked {
				drop(p, RuleProtected, why)
				continue
			}
			b.inst.Warnings = append(b.inst.Warnings, fmt.Sprintf("locked park %s (%s) %s", p.ID, p.Town, why))
		}
		s := Site{
			ParcelID:   p.ID,
			Town:       ti,
			Kind:       p.Kind,
			AreaMu:     p.AreaMu,
			CapacityM2: siteCapacity(p, b.sc.UsableShare),
			CostWan:    p.CostWan,
			Locked:     locked,
			Centroid:   geo.Centroid(p.Geometry),
		}
		switch {
		case builtPark:
			s.CostWan = 0 // sunk: the park is built or being built
			k, ok := b.indIdx[p.Specialty]
			if !ok {
				k = b.mainSpecialty(town)
			}
			if k < 0 {
				drop(p, RuleSpecialtyShare, fmt.Sprintf("locked park has no known specialty and town %s has no block industry", p.Town))
				b.inst.Warnings = append(b.inst.Warnings, fmt.Sprintf("locked park %s (%s) left out: no known specialty", p.ID, p.Town))
				continue
			}
			s.Specialties = []int{k}
			s.LockedYear = lockedYearIndex(p.OpenYear, b.sc.FirstYear, b.sc.LastYear)
			if p.OpenYear > b.sc.LastYear {
				b.inst.Warnings = append(b.inst.Warnings, fmt.Sprintf("park %s (%s) is due in %d, after the horizon; counted as opening in %d", p.ID, p.Town, p.OpenYear, b.sc.LastYear))
			}
		case locked: // a lock_in candidate: first year, town's main industry
			k := b.mainSpecialty(town)
			if k < 0 {
				drop(p, RuleSpecialtyShare, fmt.Sprintf("lock_in: town %s has no block industry to give the park a specialty", p.Town))
				continue
			}
			s.Specialties = []int{k}
		default:
			s.Specialties = b.townSpecialties(town)
			if len(s.Specialties) == 0 {
				drop(p, RuleSpecialtyShare, fmt.Sprintf("town %s has no block industry to give a park its specialty", p.Town))
				continue
			}
		}
		s.FixedValue = siteFixedValue(s.Kind, s.AreaMu, s.CostWan, b.sc.Weights)
		b.inst.Sites = append(b.inst.Sites, s)
	}
}

// lockedYearIndex is the year index a locked park counts as open from:
// its own year, clipped to the horizon.
func lockedYearIndex(openYear, first, last int) int {
	switch {
	case openYear <= first:
		return 0
	case openYear > last:
		return last - first
	}
	return openYear - first
}

// firmOutputWan is a firm's yearly output, 10,000 yuan: its output per mu
// over the land its floor space represents at FAR 1 (docs/model.md).
func firmOutputWan(e Enterprise) float64 { return e.OutputPerMu * e.FloorM2 / MuM2 }

// eligibleFirm returns why a firm may not enter any park, or ""
// (docs/model.md). It is RuleAdmission's filter: UnplacedReason.Rule names
// the rule of each reason it returns.
func eligibleFirm(e Enterprise, sc Scenario) UnplacedReason {
	switch {
	case e.Pollution == PollutionHeavy:
		return ReasonBarredPollution
	case e.LowScattered && !sc.UpgradedLowScattered:
		return ReasonLowScattered
	case !e.SafetyOK:
		return ReasonSafety
	}
	why, _ := muAdmission(e, &sc)
	return why
}

// groupKey is what the model sees of a firm; firms with equal keys are
// interchangeable (relocation is measured from the town seat).
type groupKey struct {
	town, industry int
	smallMicro     bool
	floorM2        float64
	outputWan      float64
}

func (k groupKey) less(o groupKey) bool {
	switch {
	case k.town != o.town:
		return k.town < o.town
	case k.industry != o.industry:
		return k.industry < o.industry
	case k.smallMicro != o.smallMicro:
		return !k.smallMicro
	case k.floorM2 != o.floorM2:
		return k.floorM2 < o.floorM2
	}
	return k.outputWan < o.outputWan
}

// arcAllowed reports whether a firm of a group registered in town g may
// move to site s under the relocation rule, and the distance, km. It is
// RuleRelocation's filter (no arc, no variable: a group with no arc left
// is ReasonNoParkInReach), and drops the arcs where one firm alone would
// break RuleCapacity.
func (b *builder) arcAllowed(gTown int, floorM2 float64, site int) (float64, bool) {
	s := b.inst.Sites[site]
	if b.sc.WithinTown && gTown != s.Town {
		return 0, false
	}
	if floorM2 > s.CapacityM2+buildTol {
		return 0, false
	}
	d := b.seatKm[gTown][site]
	if b.sc.MaxRelocationKm > 0 && d > b.sc.MaxRelocationKm+buildTol {
		return 0, false
	}
	return d, true
}

// arcValue is the objective gain per firm of a group placed over d km.
func arcValue(w Weights, floorM2, outputWan, d float64) float64 {
	return w.FloorM2*floorM2 + w.Firms + w.Output*outputWan - w.DistanceKm*d
}

func (b *builder) buildGroups() error {
	firms := append([]Enterprise(nil), b.ds.Enterprises...)
	sort.Slice(firms, func(i, j int) bool { return firms[i].ID < firms[j].ID })
	byKey := map[groupKey]*Group{}
	var keys []groupKey
	for i, e := range firms {
		if why := eligibleFirm(e, b.sc); why != "" {
			b.inst.Excluded = append(b.inst.Excluded, Unplaced{EnterpriseID: e.ID, Reason: why, Detail: exclusionDetail(e, &b.sc, why)})
			continue
		}
		ti, ok := b.townIdx[e.Town]
		if !ok {
			return Errorf(EINVALID, "enterprise %d (id %s): town %q is not in the dataset", i, e.ID, e.Town)
		}
		ki, ok := b.indIdx[e.Industry]
		if !ok {
			return Errorf(EINVALID, "enterprise %d (id %s): industry %q is not in the dataset", i, e.ID, e.Industry)
		}
		if !(e.FloorM2 > 0) {
			return Errorf(EINVALID, "enterprise %d (id %s): floor_m2 must be > 0, got %v", i, e.ID, e.FloorM2)
		}
		k := groupKey{town: ti, industry: ki, smallMicro: e.Size.SmallMicro(), floorM2: e.FloorM2, outputWan: firmOutputWan(e)}
		g := byKey[k]
		if g == nil {
			g = &Group{Town: ti, Industry: ki, SmallMicro: k.smallMicro, FloorM2: e.FloorM2, OutputWan: k.outputWan}
			byKey[k] = g
			keys = append(keys, k)
		}
		g.Count++
		g.Members = append(g.Members, e.ID) // firms are in id order
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	b.seatKm = make([][]float64, len(b.towns))
	for ti, t := range b.towns {
		b.seatKm[ti] = make([]float64, len(b.inst.Sites))
		for s, site := range b.inst.Sites {
			b.seatKm[ti][s] = geo.DistanceM(t.Seat, site.Centroid) / 1000
		}
	}
	for _, k := range keys {
		g := byKey[k]
		reach := false
		for site := range b.inst.Sites {
			if _, ok := b.arcAllowed(g.Town, g.FloorM2, site); ok {
				reach = true
				break
			}
		}
		if !reach {
			for _, id := range g.Members {
				b.inst.Excluded = append(b.inst.Excluded, Unplaced{EnterpriseID: id, Reason: ReasonNoParkInReach})
			}
			continue
		}
		b.inst.Groups = append(b.inst.Groups, *g)
	}
	// Arcs in (site, group) order.
	for s := range b.inst.Sites {
		for gi, g := range b.inst.Groups {
			if d, ok := b.arcAllowed(g.Town, g.FloorM2, s); ok {
				b.inst.Arcs = append(b.inst.Arcs, Arc{Group: gi, Site: s, DistanceKm: d, Value: arcValue(b.sc.Weights, g.FloorM2, g.OutputWan, d)})
			}
		}
	}
	sort.Slice(b.inst.Excluded, func(i, j int) bool { return b.inst.Excluded[i].EnterpriseID < b.inst.Excluded[j].EnterpriseID })
	return nil
}

func (b *builder) buildQuotaBudget() {
	nT := len(b.inst.Years)
	b.inst.QuotaMu = make([][]float64, len(b.inst.Towns))
	for i := range b.inst.QuotaMu {
		b.inst.QuotaMu[i] = make([]float64, nT)
	}
	for _, q := range b.ds.Quotas {
		ti, ok := b.townIdx[q.Town]
		t := q.Year - b.sc.FirstYear
		if !ok || t < 0 || t >= nT {
			continue
		}
		b.inst.QuotaMu[ti][t] += b.sc.QuotaScale * q.NewLandMu
	}
	for _, k := range sortedKeys(b.sc.QuotaExtra) {
		town, year, _ := strings.Cut(k, "/")
		y, _ := strconv.Atoi(year) // checked by Validate
		b.inst.QuotaMu[b.townIdx[town]][y-b.sc.FirstYear] += b.sc.QuotaExtra[k]
	}
	for _, q := range b.inst.QuotaMu {
		for t := range q {
			q[t] = math.Max(0, q[t]) // negative extras cannot go below no quota
		}
	}
	b.inst.BudgetWan = make([]float64, nT)
	for t, y := range b.inst.Years {
		b.inst.BudgetWan[t] = math.Inf(1)
		if v, ok := b.sc.Budget[y]; ok {
			b.inst.BudgetWan[t] = v
		}
	}
	if len(b.sc.CountyAllocation) > 0 {
		b.inst.CountyMu = make([]float64, nT)
		for t, y := range b.inst.Years {
			b.inst.CountyMu[t] = math.Inf(1)
			if v, ok := b.sc.CountyAllocation[y]; ok {
				b.inst.CountyMu[t] = v
			}
		}
	}
	if len(b.sc.NewLandPrice) > 0 {
		b.inst.LandPrice = make([]float64, nT)
		for t, y := range b.inst.Years {
			b.inst.LandPrice[t] = b.sc.NewLandPrice[y]
		}
	}
	if len(b.sc.ParkBonus) > 0 {
		b.inst.ParkBonus = make([]float64, nT)
		for t, y := range b.inst.Years {
			b.inst.ParkBonus[t] = b.sc.ParkBonus[y]
		}
	}
	b.inst.NewLandParkPrice = b.sc.NewLandParkPrice
}

func uniqueInts(s []int) []int {
	if len(s) == 0 {
		return s
	}
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
