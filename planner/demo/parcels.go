package demo

import (
	"fmt"
	"math"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
)

// Candidate parcels (synthetic). Sizes follow the seed's park tiers
// (< 100 mu, 100–200 mu, 300–500 mu); the 200–300 gap is kept.
const (
	candidatesPerCounty = 80 // ≈ 4 a town, a few towns 5
	conflictShare       = 0.3
	minConflictMu       = 1.0 // a conflicting candidate overlaps by at least this, mu
)

// conflict says which protected layer a candidate is drawn to touch.
type conflict int

const (
	admissible conflict = iota
	onFarmland
	onRedline
	outsideBoundary
)

// tier sizes in mu: [lo, hi).
var (
	tierSmall = [2]float64{30, 96}
	tierMid   = [2]float64{105, 196}
	tierLarge = [2]float64{310, 491}
)

// lockedParks places the built and under-construction parks from the
// seed tables, clear of protected land.
func (c *county) lockedParks() error {
	byCode := map[string]*town{}
	for _, t := range c.towns {
		byCode[t.fact.code] = t
	}
	// fixed order: existing, then under construction
	for _, group := range []struct {
		kind   planner.ParcelKind
		letter string
		parks  []parkFact
	}{{planner.KindExisting, "E", existingParks}, {planner.KindUnderConstruction, "U", underConstructionParks}} {
		seen := map[string]int{}
		for _, f := range group.parks {
			t := byCode[f.town]
			seen[f.town]++
			id := fmt.Sprintf("%s-%s%02d", t.t.Code, group.letter, seen[f.town])
			r, err := c.placeParcel(t, f.areaMu, admissible)
			if err != nil {
				return fmt.Errorf("park %s: %w", f.name, err)
			}
			name := f.name
			if c.copyNo > 0 {
				name = fmt.Sprintf("%s（副本%d）", f.name, c.copyNo+1)
			}
			c.addParcel(planner.Parcel{
				ID: id, Town: t.t.Code, Kind: group.kind, Name: name, FAR: f.far,
				FloorM2: f.floorM2, Firms: f.firms, Specialty: f.specialty, OpenYear: f.openYear,
			}, r)
		}
	}
	return nil
}

// candidates places ≈ candidatesPerCounty candidate parcels: every town
// gets an admissible old-factory parcel and a new-land parcel, then more
// of either kind, some drawn onto protected land.
func (c *county) candidates() error {
	extra := candidatesPerCounty - 4*len(c.towns) // towns that get a fifth
	five := map[int]bool{}
	for len(five) < extra {
		five[c.rng.IntN(len(c.towns))] = true
	}
	for i, t := range c.towns {
		n := 4
		if five[i] {
			n = 5
		}
		counts := map[planner.ParcelKind]int{}
		for slot := range n {
			kind := planner.KindNewLand
			switch {
			case slot == 0:
				kind = planner.KindOldFactory
			case slot >= 2 && c.rng.Float64() < 0.5:
				kind = planner.KindOldFactory
			}
			want := admissible
			if slot > 0 && c.rng.Float64() < conflictShare {
				want = conflict(1 + c.rng.IntN(3))
				if want == onRedline && len(t.redline) == 0 {
					want = onFarmland
				}
			}
			if slot == n-1 && len(t.redline) > 0 {
				want = onRedline // every hill town has a candidate on its red line
			}
			area := c.candidateArea(kind)
			r, err := c.placeCandidate(t, &area, want, slot == 0)
			if err != nil {
				return fmt.Errorf("town %s candidate %d: %w", t.t.Code, slot, err)
			}
			counts[kind]++
			letter := "N"
			far := 1.5 + 0.1*float64(c.rng.IntN(18)) // 1.5–3.2
			costPerMu := 1.0 + 0.4*c.rng.Float64()   // 10,000 yuan per mu: land servicing and subsidy
			fixed := 20.0
			if kind == planner.KindOldFactory {
				letter = "O"
				far = 1.2 + 0.1*float64(c.rng.IntN(11)) // 1.2–2.2
				costPerMu = 0.6 + 0.3*c.rng.Float64()   // renovation subsidy
				fixed = 10
			}
			p := planner.Parcel{
				ID: fmt.Sprintf("%s-%s%02d", t.t.Code, letter, counts[kind]), Town: t.t.Code, Kind: kind,
				FAR: round1(far),
			}
			p.CostWan = round1(geo.AreaMu(r)*costPerMu + fixed)
			c.addParcel(p, r)
		}
	}
	return nil
}

// candidateArea draws a candidate's size in mu by kind and tier.
func (c *county) candidateArea(kind planner.ParcelKind) float64 {
	u := c.rng.Float64()
	tier := tierSmall
	if kind == planner.KindOldFactory {
		if u >= 0.6 {
			tier = tierMid
		}
	} else {
		switch {
		case u >= 0.65:
			tier = tierLarge
		case u >= 0.25:
			tier = tierMid
		}
	}
	return math.Floor(tier[0] + c.rng.Float64()*(tier[1]-tier[0]))
}

// placeCandidate places a candidate of *area mu with the conflict wanted,
// falling back when the town has no room for it: other conflicts, then
// admissible, then smaller sizes (a tier down, then by 30 % steps to the
// smallest tier's floor). A candidate that must be admissible (mustFit)
// never falls back to a conflict. *area is updated to the size placed.
func (c *county) placeCandidate(t *town, area *float64, want conflict, mustFit bool) (orb.Ring, error) {
	r, err := c.placeParcel(t, *area, want)
	for err != nil && want != admissible {
		want = (want + 1) % 4
		r, err = c.placeParcel(t, *area, want)
	}
	for err != nil && *area > tierSmall[1] {
		*area = c.candidateAreaBelow(*area)
		r, err = c.placeParcel(t, *area, admissible)
	}
	for err != nil && *area*0.7 >= tierSmall[0] {
		*area = math.Floor(*area * 0.7)
		r, err = c.placeParcel(t, *area, admissible)
		if err != nil && !mustFit {
			r, err = c.placeParcel(t, *area, outsideBoundary)
		}
	}
	return r, err
}

// candidateAreaBelow draws a size from the tier below area's.
func (c *county) candidateAreaBelow(area float64) float64 {
	tier := tierSmall
	if area >= tierLarge[0] {
		tier = tierMid
	}
	return math.Floor(tier[0] + c.rng.Float64()*(tier[1]-tier[0]))
}

// addParcel records p with geometry r, its area and its overlaps.
func (c *county) addParcel(p planner.Parcel, r orb.Ring) {
	p.Geometry = orb.MultiPolygon{{r}}
	p.AreaMu = geo.AreaMu(r)
	c.parcels = append(c.parcels, r.Bound())
	c.ds.Parcels = append(c.ds.Parcels, p)
	o := c.overlapOf(p.ID, r)
	if o.FarmlandMu > 0 || o.RedlineMu > 0 || o.OutsideBoundaryMu > 0 {
		c.ds.Overlaps[p.ID] = o
	}
}

// placeParcel finds a rotated rectangle of areaMu inside t, clear of other
// parcels, whose protected-land conflict is the one wanted.
func (c *county) placeParcel(t *town, areaMu float64, want conflict) (orb.Ring, error) {
	m2 := areaMu * geo.MuM2
	for range placeTries {
		aspect := 1 + c.rng.Float64() // 1–2
		w := math.Sqrt(m2 * aspect)
		h := m2 / w
		centre := c.parcelCentre(t, want)
		angle := c.rng.Float64() * math.Pi
		r := rectangle(centre, w, h, angle)
		// the rectangle is exact in the projected plane; rescale so its
		// area on the ellipsoid is areaMu
		f := math.Sqrt(areaMu / geo.AreaMu(r))
		r = rectangle(centre, w*f, h*f, angle)
		if !insideTown(r, t) || !c.free(r) {
			continue
		}
		o := c.overlapOf("", r)
		ok := false
		switch want {
		case admissible:
			ok = o.FarmlandMu == 0 && o.RedlineMu == 0 && o.OutsideBoundaryMu == 0
		case onFarmland:
			ok = o.FarmlandMu >= minConflictMu
		case onRedline:
			ok = o.RedlineMu >= minConflictMu
		case outsideBoundary:
			ok = o.OutsideBoundaryMu >= minConflictMu && o.FarmlandMu == 0 && o.RedlineMu == 0
		}
		if ok {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no room for %.0f mu (%d) after %d tries", areaMu, want, placeTries)
}

// parcelCentre draws where to try a parcel: anywhere in the town, or on
// the edge of the protected layer it should touch.
func (c *county) parcelCentre(t *town, want conflict) orb.Point {
	var ps []piece
	switch want {
	case onFarmland:
		ps = t.farmland
	case onRedline:
		ps = t.redline
	case outsideBoundary:
		ps = t.devb
	}
	if len(ps) == 0 {
		return c.randomPointIn(t)
	}
	r := ps[c.rng.IntN(len(ps))].ring
	k := c.rng.IntN(len(r) - 1)
	s := c.rng.Float64()
	a, b := r[k], r[k+1]
	return orb.Point{a[0] + s*(b[0]-a[0]), a[1] + s*(b[1]-a[1])}
}
