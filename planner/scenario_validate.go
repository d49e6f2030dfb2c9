package planner

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Scenario limits.
const (
	minYear         = 2000
	maxYear         = 2100
	maxHorizonYears = 30 // a plan spans at most this many years
)

// Validate checks every field that needs no dataset and returns the
// failures as EINVALID *Errors naming the field path, joined. Dataset
// checks (town codes, parcel ids) are made by BuildInstance.
func (sc *Scenario) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldErrorf(field, format, args...))
	}
	// noNUL rejects a NUL character in a text field: PostgreSQL cannot
	// store it, and it would truncate the text in C tools (GDAL, CBC).
	noNUL := func(field, s string) bool {
		if strings.IndexByte(s, 0) >= 0 {
			bad(field, "must not contain NUL")
			return false
		}
		return true
	}
	if strings.TrimSpace(sc.Name) == "" {
		bad("name", "must not be empty")
	} else if len(sc.Name) > 200 {
		bad("name", "must be at most 200 bytes, got %d", len(sc.Name))
	} else {
		noNUL("name", sc.Name)
	}
	noNUL("description", sc.Description)
	yearsOK := true
	if sc.FirstYear < minYear || sc.FirstYear > maxYear {
		bad("first_year", "must be in %d…%d, got %d", minYear, maxYear, sc.FirstYear)
		yearsOK = false
	}
	if sc.LastYear < sc.FirstYear || sc.LastYear-sc.FirstYear >= maxHorizonYears {
		bad("last_year", "must be in first_year…first_year+%d (%d…%d), got %d", maxHorizonYears-1, sc.FirstYear, sc.FirstYear+maxHorizonYears-1, sc.LastYear)
		yearsOK = false
	}
	if yearsOK && (sc.TargetYear < sc.FirstYear || sc.TargetYear > sc.LastYear) {
		bad("target_year", "must be in %d…%d, got %d", sc.FirstYear, sc.LastYear, sc.TargetYear)
	}
	if sc.TargetParks < 0 {
		bad("target_parks", "must be ≥ 0, got %d", sc.TargetParks)
	}
	if sc.MaxNewLandParks < -1 {
		bad("max_new_land_parks", "must be ≥ 0, or -1 for no cap, got %d", sc.MaxNewLandParks)
	}
	share := func(field string, v float64) {
		if !(v >= 0 && v <= 1) {
			bad(field, "must be in 0…1, got %v", v)
		}
	}
	share("specialty_share_firms", sc.SpecialtyShareFirms)
	share("specialty_share_floor", sc.SpecialtyShareFloor)
	share("small_micro_share", sc.SmallMicroShare)
	if !(sc.UsableShare > 0 && sc.UsableShare <= 1) {
		bad("usable_share", "must be in (0, 1], got %v", sc.UsableShare)
	}
	nonneg := func(field string, v float64) {
		if !(v >= 0) || math.IsInf(v, 0) {
			bad(field, "must be ≥ 0, got %v", v)
		}
	}
	nonneg("protected_tolerance_mu", sc.ProtectedToleranceMu)
	nonneg("max_relocation_km", sc.MaxRelocationKm)
	nonneg("quota_scale", sc.QuotaScale)
	for _, k := range sortedKeys(sc.QuotaExtra) {
		field := "quota_extra." + k
		if strings.IndexByte(k, 0) >= 0 {
			// Name the key with the NUL written out, not as a raw byte.
			bad("quota_extra."+strings.ReplaceAll(k, "\x00", `\x00`), "key must not contain NUL")
			continue
		}
		town, year, ok := strings.Cut(k, "/")
		y, err := strconv.Atoi(year)
		switch {
		case !ok || town == "" || err != nil:
			bad(field, "key must be \"town/year\" (e.g. \"zhouxiang/2020\")")
		case yearsOK && (y < sc.FirstYear || y > sc.LastYear):
			bad(field, "year must be in %d…%d, got %d", sc.FirstYear, sc.LastYear, y)
		}
		if v := sc.QuotaExtra[k]; math.IsNaN(v) || math.IsInf(v, 0) {
			bad(field, "must be a finite number of mu, got %v", v)
		}
	}
	years := make([]int, 0, len(sc.Budget))
	for y := range sc.Budget {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		field := "budget." + strconv.Itoa(y)
		if yearsOK && (y < sc.FirstYear || y > sc.LastYear) {
			bad(field, "year must be in %d…%d", sc.FirstYear, sc.LastYear)
		}
		nonneg(field, sc.Budget[y])
	}
	in := map[string]bool{}
	for i, id := range sc.LockIn {
		field := "lock_in[" + strconv.Itoa(i) + "]"
		if id == "" {
			bad(field, "must not be empty")
		} else if !noNUL(field, id) {
			continue
		} else if in[id] {
			bad(field, "parcel %q listed twice", id)
		}
		in[id] = true
	}
	out := map[string]bool{}
	for i, id := range sc.LockOut {
		field := "lock_out[" + strconv.Itoa(i) + "]"
		switch {
		case id == "":
			bad(field, "must not be empty")
		case !noNUL(field, id):
			continue
		case out[id]:
			bad(field, "parcel %q listed twice", id)
		case in[id]:
			bad(field, "parcel %q is also in lock_in", id)
		}
		out[id] = true
	}
	w := sc.Weights
	nonneg("weights.floor_m2", w.FloorM2)
	nonneg("weights.firms", w.Firms)
	nonneg("weights.output", w.Output)
	nonneg("weights.land_mu", w.LandMu)
	nonneg("weights.distance_km", w.DistanceKm)
	nonneg("weights.cost", w.Cost)
	if sc.TimeLimit.Duration <= 0 {
		bad("time_limit", "must be > 0, got %v", sc.TimeLimit)
	}
	if !(sc.GapTarget >= 0 && sc.GapTarget < 1) {
		bad("gap_target", "must be in [0, 1), got %v", sc.GapTarget)
	}
	if sc.NodeLimit < 0 {
		bad("node_limit", "must be ≥ 0 (0: no limit), got %d", sc.NodeLimit)
	}
	return errors.Join(errs...)
}

// Normalize puts list fields in canonical order (sorted, no duplicates)
// so that equal scenarios hash and solve alike.
func (sc *Scenario) Normalize() {
	sc.LockIn = sortedUnique(sc.LockIn)
	sc.LockOut = sortedUnique(sc.LockOut)
	if len(sc.QuotaExtra) == 0 {
		sc.QuotaExtra = nil
	}
	if len(sc.Budget) == 0 {
		sc.Budget = nil
	}
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	c := append([]string(nil), s...)
	sort.Strings(c)
	out := c[:1]
	for _, v := range c[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
