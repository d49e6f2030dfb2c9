package rules

import (
	"math"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// CheckRefill re-derives the rules of a park's refill (把好出口,
// docs/evaluation.md) from the dataset, the scenario and the firms alone,
// never from the refill's model: each entrant is a dataset firm that may
// enter (ruleAdmission, ruleMuAdmission), within the relocation rule of
// the park (ruleRelocation), listed once (rulePlaceOnce); the entrants'
// floor fits the free floor (ruleCapacity); and the share rules hold over
// the staying firms and the entrants (ruleSpecialtyShare,
// ruleSmallMicroShare). nil means the refill keeps every rule.
func CheckRefill(ds *planner.Dataset, sc planner.Scenario, parkID, specialty string, stay []planner.FirmYear, freeFloorM2 float64, entrants []string) []Violation {
	c := &checker{ds: ds, sc: sc}
	var park planner.Parcel
	for _, p := range ds.Parcels {
		if p.ID == parkID {
			park = p
		}
	}
	if park.ID == "" {
		c.fail("ruleLink", parkID, "refill of a park that is not in the dataset")
		return c.out
	}
	firms := map[string]planner.Enterprise{}
	for _, e := range ds.Enterprises {
		firms[e.ID] = e
	}
	towns := map[string]planner.Town{}
	for _, t := range ds.Towns {
		towns[t.Code] = t
	}
	related := map[string]bool{specialty: true}
	for _, ind := range ds.Industries {
		if ind.Code == specialty {
			for _, r := range ind.Related {
				related[r] = true
			}
		}
	}
	var n, rel, small, floor, relFloor, added float64
	count := func(industry string, smallMicro bool, f float64) {
		n++
		floor += f
		if related[industry] {
			rel++
			relFloor += f
		}
		if smallMicro {
			small++
		}
	}
	for _, f := range stay {
		count(f.Industry, f.Size.SmallMicro(), f.FloorM2)
	}
	seen := map[string]bool{}
	for _, id := range entrants {
		e, ok := firms[id]
		if !ok {
			c.fail("rulePlaceOnce", id, "entrant is not a firm of the dataset")
			continue
		}
		if seen[id] {
			c.fail("rulePlaceOnce", id, "entrant listed twice")
		}
		seen[id] = true
		switch {
		case e.Pollution == planner.PollutionHeavy:
			c.fail("ruleAdmission", id, "heavy polluter refills %s", parkID)
		case e.LowScattered && !sc.UpgradedLowScattered:
			c.fail("ruleAdmission", id, "low/scattered firm refills %s without upgrading", parkID)
		case !e.SafetyOK:
			c.fail("ruleAdmission", id, "firm failing the safety record refills %s", parkID)
		}
		if why, detail := muAdmissionFault(e, sc); why != "" {
			c.fail("ruleMuAdmission", id, "refills %s: %s", parkID, detail)
		}
		if sc.WithinTown && e.Town != park.Town {
			c.fail("ruleRelocation", id, "moves from town %s to %s's park %s", e.Town, park.Town, parkID)
		}
		if d := geo.DistanceM(towns[e.Town].Seat, geo.Centroid(park.Geometry)) / 1000; sc.MaxRelocationKm > 0 && !leq(d, sc.MaxRelocationKm) {
			c.fail("ruleRelocation", id, "moves %.2f km to %s, cap %g km", d, parkID, sc.MaxRelocationKm)
		}
		added += e.FloorM2
		count(e.Industry, e.Size.SmallMicro(), e.FloorM2)
	}
	if !leq(added, freeFloorM2) {
		c.fail("ruleCapacity", parkID, "entrants take %.1f m², free floor %.1f m²", added, freeFloorM2)
	}
	if n > 0 {
		if rel < sc.SpecialtyShareFirms*n-Tol {
			c.fail("ruleSpecialtyShare", parkID, "specialty %s and related after the refill: %d of %d firms, need %.0f %%", specialty, int(rel), int(n), 100*sc.SpecialtyShareFirms)
		}
		if relFloor < sc.SpecialtyShareFloor*floor-Tol*math.Max(1, floor) {
			c.fail("ruleSpecialtyShare", parkID, "specialty %s and related after the refill: %.0f of %.0f m², need %.0f %%", specialty, relFloor, floor, 100*sc.SpecialtyShareFloor)
		}
		if small < sc.SmallMicroShare*n-Tol {
			c.fail("ruleSmallMicroShare", parkID, "small/micro after the refill: %d of %d firms, need %.0f %%", int(small), int(n), 100*sc.SmallMicroShare)
		}
	}
	return c.out
}
