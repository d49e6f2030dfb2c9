package planner

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Scenario limits. Every numeric field has an upper bound far above any
// real county's figure, so that a typo or a hostile value (1e308) is
// refused with the field's name instead of overflowing a product (a
// quota × 1e308 is +Inf) hours later in the solver or the plan's JSON.
const (
	minYear         = 2000
	maxYear         = 2100
	maxHorizonYears = 30 // a plan spans at most this many years

	MaxTargetParks  = 10000          // target_parks, max_new_land_parks: parks in a county
	MaxToleranceMu  = 10000          // protected_tolerance_mu, mu
	MaxRelocationKm = 5000           // max_relocation_km (China is ~5,000 km across)
	MaxQuotaScale   = 1000           // quota_scale, a factor
	MaxQuotaExtraMu = 1e7            // |quota_extra|, mu (Cixi is ~2 million mu)
	MaxBudgetWan    = 1e9            // budget per year, 10,000 yuan (10 trillion yuan)
	MaxWeight       = 1e6            // each objective weight
	MaxTimeLimit    = 24 * time.Hour // time_limit
	MaxNodeLimit    = 1_000_000_000  // node_limit
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
	} else if sc.TargetParks > MaxTargetParks {
		bad("target_parks", "must be at most %d, got %d", MaxTargetParks, sc.TargetParks)
	}
	if sc.MaxNewLandParks < -1 {
		bad("max_new_land_parks", "must be ≥ 0, or -1 for no cap, got %d", sc.MaxNewLandParks)
	} else if sc.MaxNewLandParks > MaxTargetParks {
		bad("max_new_land_parks", "must be at most %d, or -1 for no cap, got %d", MaxTargetParks, sc.MaxNewLandParks)
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
	// upTo checks 0 ≤ v ≤ hi (NaN and ±Inf fail).
	upTo := func(field string, v, hi float64) {
		switch {
		case !(v >= 0):
			bad(field, "must be ≥ 0, got %v", v)
		case !(v <= hi):
			bad(field, "must be at most %s, got %v", strconv.FormatFloat(hi, 'f', -1, 64), v)
		}
	}
	upTo("protected_tolerance_mu", sc.ProtectedToleranceMu, MaxToleranceMu)
	upTo("max_relocation_km", sc.MaxRelocationKm, MaxRelocationKm)
	upTo("quota_scale", sc.QuotaScale, MaxQuotaScale)
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
		if v := sc.QuotaExtra[k]; !(v >= -MaxQuotaExtraMu && v <= MaxQuotaExtraMu) {
			bad(field, "must be a number of mu in −%[1]s…%[1]s, got %[2]v", strconv.FormatFloat(MaxQuotaExtraMu, 'f', -1, 64), v)
		}
	}
	byYear := func(name string, m map[int]float64, hi float64) {
		years := make([]int, 0, len(m))
		for y := range m {
			years = append(years, y)
		}
		sort.Ints(years)
		for _, y := range years {
			field := name + "." + strconv.Itoa(y)
			if yearsOK && (y < sc.FirstYear || y > sc.LastYear) {
				bad(field, "year must be in %d…%d", sc.FirstYear, sc.LastYear)
			}
			upTo(field, m[y], hi)
		}
	}
	byYear("budget", sc.Budget, MaxBudgetWan)
	byYear("county_allocation", sc.CountyAllocation, MaxQuotaExtraMu)
	byYear("new_land_price", sc.NewLandPrice, MaxWeight)
	byYear("park_bonus", sc.ParkBonus, MaxWeight)
	upTo("new_land_park_price", sc.NewLandParkPrice, MaxWeight)
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
	sc.validateAdmission(bad)
	w := sc.Weights
	upTo("weights.floor_m2", w.FloorM2, MaxWeight)
	upTo("weights.firms", w.Firms, MaxWeight)
	upTo("weights.output", w.Output, MaxWeight)
	upTo("weights.land_mu", w.LandMu, MaxWeight)
	upTo("weights.distance_km", w.DistanceKm, MaxWeight)
	upTo("weights.cost", w.Cost, MaxWeight)
	if sc.TimeLimit.Duration <= 0 || sc.TimeLimit.Duration > MaxTimeLimit {
		bad("time_limit", "must be > 0 and at most %v, got %v", MaxTimeLimit, sc.TimeLimit)
	}
	if !(sc.GapTarget >= 0 && sc.GapTarget < 1) {
		bad("gap_target", "must be in [0, 1), got %v", sc.GapTarget)
	}
	if sc.NodeLimit < 0 {
		bad("node_limit", "must be ≥ 0 (0: no limit), got %d", sc.NodeLimit)
	} else if sc.NodeLimit > MaxNodeLimit {
		bad("node_limit", "must be at most %d (0: no limit), got %d", MaxNodeLimit, sc.NodeLimit)
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
	if len(sc.CountyAllocation) == 0 {
		sc.CountyAllocation = nil
	}
	if len(sc.NewLandPrice) == 0 {
		sc.NewLandPrice = nil
	}
	if len(sc.ParkBonus) == 0 {
		sc.ParkBonus = nil
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
