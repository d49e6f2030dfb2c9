package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
)

// LoadProvinceScenarioFile reads a province scenario from a .yaml, .yml
// or .json file (see LoadProvinceScenario); errors name the file.
func LoadProvinceScenarioFile(path string) (*ProvinceScenario, error) {
	return loadFile(path, "province scenario", LoadProvinceScenario)
}

// LoadProvinceScenario reads a province scenario (docs/province.md) in
// YAML or JSON, as strictly as LoadScenario: unknown fields are errors
// naming their path ("county.weights.land_mu", "pool[2].new_land_mu",
// "per_county.yuyao.quota_scale"). The county section starts from
// Defaults; max_new_land_parks defaults to -1 (no province-wide cap);
// target_year to the county section's. The result is Validated, every
// per_county override included.
func LoadProvinceScenario(r io.Reader) (*ProvinceScenario, error) {
	b, err := readBounded(r, "province scenario")
	if err != nil {
		return nil, err
	}
	trim := bytes.TrimSpace(b)
	if len(trim) == 0 {
		return nil, Errorf(EINVALID, "province scenario: empty file")
	}
	ps := ProvinceScenario{County: Defaults(), MaxNewLandParks: -1}
	if trim[0] == '{' {
		err = decodeScenarioJSON(b, &ps)
	} else {
		err = decodeScenarioYAML(b, &ps)
	}
	if err != nil {
		return nil, err
	}
	if ps.TargetYear == 0 {
		ps.TargetYear = ps.County.TargetYear
	}
	if err := ps.Validate(); err != nil {
		return nil, err
	}
	ps.County.Normalize()
	sort.Slice(ps.Pool, func(i, j int) bool { return ps.Pool[i].Year < ps.Pool[j].Year })
	return &ps, nil
}

// coordinatorFields are the county fields the province's coordinator sets
// itself (county_allocation from the pool, new_land_price, park_bonus
// and new_land_park_price from its prices), and the horizon, which every county shares with the pool.
var coordinatorFields = map[string]string{
	"county_allocation":   "is set by the province's coordinator from the pool",
	"new_land_price":      "is set by the province's coordinator (the pool's price)",
	"park_bonus":          "is set by the province's coordinator (the province-wide target's price)",
	"new_land_park_price": "is set by the province's coordinator (the province-wide new-land cap's price)",
	"first_year":          "must be the same for every county: set it in county",
	"last_year":           "must be the same for every county: set it in county",
}

// Validate checks the province scenario without a dataset: the county
// section and every per_county override (merged onto it), the pool's
// years (in the county horizon, each once) and figures, the shares
// (floor ≤ cap, floors within the pool) and the province-wide targets.
// Errors are EINVALID *Errors naming the field path and value, joined.
// That per_county and shares name counties of the dataset is checked by
// the coordinator (planner/province).
func (ps *ProvinceScenario) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldErrorf(field, format, args...))
	}
	if ps.Name == "" {
		bad("name", "must not be empty")
	} else if len(ps.Name) > 120 {
		bad("name", "must be at most 120 bytes, got %d", len(ps.Name))
	}
	county := ps.County
	if county.Name == "" {
		county.Name = ps.Name
	}
	if err := county.Validate(); err != nil {
		errs = append(errs, prefixErrors(err, "county."))
		return errors.Join(errs...)
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"county_allocation", len(county.CountyAllocation) > 0}, {"new_land_price", len(county.NewLandPrice) > 0},
		{"park_bonus", len(county.ParkBonus) > 0}, {"new_land_park_price", county.NewLandParkPrice != 0}} {
		if f.set {
			bad("county."+f.name, "%s", coordinatorFields[f.name])
		}
	}
	first, last := county.FirstYear, county.LastYear
	if len(ps.Pool) == 0 {
		bad("pool", "must list the province's new-land pool for at least one year")
	}
	for i, p := range ps.Pool {
		field := fmt.Sprintf("pool[%d]", i)
		switch {
		case p.Year < first || p.Year > last:
			bad(field+".year", "must be in the county horizon %d…%d, got %d", first, last, p.Year)
		case hasYear(ps.Pool[:i], p.Year):
			bad(field+".year", "year %d listed twice", p.Year)
		}
		if !(p.NewLandMu >= 0 && p.NewLandMu <= MaxQuotaExtraMu) {
			bad(field+".new_land_mu", "must be a number of mu in 0…%s, got %v", strconv.FormatFloat(MaxQuotaExtraMu, 'f', -1, 64), p.NewLandMu)
		}
	}
	type key struct {
		county string
		year   int
	}
	seen := map[key]bool{}
	floors := map[int]float64{}
	for i, sh := range ps.Shares {
		field := fmt.Sprintf("shares[%d]", i)
		if sh.County == "" {
			bad(field+".county", "must name a county code")
		}
		if sh.Year != 0 && (sh.Year < first || sh.Year > last) {
			bad(field+".year", "must be 0 (every year) or in %d…%d, got %d", first, last, sh.Year)
		}
		if seen[key{sh.County, sh.Year}] {
			bad(field, "county %q, year %d listed twice", sh.County, sh.Year)
		}
		seen[key{sh.County, sh.Year}] = true
		for _, f := range []struct {
			name string
			v    float64
		}{{"floor_mu", sh.FloorMu}, {"cap_mu", sh.CapMu}, {"start_mu", sh.StartMu}} {
			if !(f.v >= 0 && f.v <= MaxQuotaExtraMu) {
				bad(field+"."+f.name, "must be a number of mu in 0…%s, got %v", strconv.FormatFloat(MaxQuotaExtraMu, 'f', -1, 64), f.v)
			}
		}
		if sh.CapMu > 0 && sh.CapMu < sh.FloorMu {
			bad(field+".cap_mu", "must be at least floor_mu (%v) or 0 for no cap, got %v", sh.FloorMu, sh.CapMu)
		}
		for _, p := range ps.Pool {
			if sh.Year == 0 || sh.Year == p.Year {
				floors[p.Year] += sh.FloorMu
			}
		}
	}
	for _, p := range ps.Pool {
		if floors[p.Year] > 0 && p.NewLandMu >= 0 && floors[p.Year] > p.NewLandMu+1e-9 {
			bad("shares", "the counties' floors in %d sum to %v mu, more than the pool's %v mu", p.Year, floors[p.Year], p.NewLandMu)
		}
	}
	if ps.TargetParks < 0 || ps.TargetParks > 100*MaxTargetParks {
		bad("target_parks", "must be in 0…%d, got %d", 100*MaxTargetParks, ps.TargetParks)
	}
	if ps.TargetParks > 0 && (ps.TargetYear < first || ps.TargetYear > last) {
		bad("target_year", "must be in %d…%d, got %d", first, last, ps.TargetYear)
	}
	if ps.MaxNewLandParks < -1 || ps.MaxNewLandParks > 100*MaxTargetParks {
		bad("max_new_land_parks", "must be ≥ 0, or -1 for no cap, got %d", ps.MaxNewLandParks)
	}
	for _, code := range sortedKeys(ps.PerCounty) {
		if _, err := ps.CountyScenario(code); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func hasYear(pool []PoolYear, y int) bool {
	for _, p := range pool {
		if p.Year == y {
			return true
		}
	}
	return false
}

// CountyScenario is the scenario county code solves under: the county
// section with that county's per_county override merged onto it (a field
// present in the override replaces the county section's, maps and
// structs included), named "<province>/<code>", validated. Errors name
// the override's fields as per_county.<code>.<field>.
func (ps *ProvinceScenario) CountyScenario(code string) (Scenario, error) {
	sc := ps.County
	sc.Name = ps.Name + "/" + code
	if len(sc.Name) > 200 {
		sc.Name = sc.Name[:200]
	}
	prefix := "per_county." + code
	if over, ok := ps.PerCounty[code]; ok {
		clean := jsonable(over).(map[string]any)
		if err := checkKnownFields(prefix, clean, reflect.TypeOf(sc)); err != nil {
			return Scenario{}, err
		}
		for _, k := range sortedKeys(clean) {
			if why, ok := coordinatorFields[k]; ok {
				return Scenario{}, FieldErrorf(prefix+"."+k, "%s", why)
			}
		}
		base, err := json.Marshal(sc)
		if err != nil {
			return Scenario{}, Errorf(EINTERNAL, "province: %v", err)
		}
		var m map[string]any
		if err := json.Unmarshal(base, &m); err != nil {
			return Scenario{}, Errorf(EINTERNAL, "province: %v", err)
		}
		for k, v := range clean {
			m[k] = v
		}
		merged, err := json.Marshal(m)
		if err != nil {
			return Scenario{}, FieldErrorf(prefix, "%v", err)
		}
		sc = Scenario{}
		if err := decodeScenarioJSON(merged, &sc); err != nil {
			return Scenario{}, prefixErrors(err, prefix+".")
		}
	}
	if err := sc.Validate(); err != nil {
		return Scenario{}, prefixErrors(err, prefix+".")
	}
	sc.Normalize()
	return sc, nil
}

// jsonable turns YAML's map[any]any (a mapping with number keys, such as
// budget: {2019: 300}) into map[string]any, recursively, so that an
// override can be written as JSON.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonable(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	}
	return v
}

// PoolMu returns the pool of year y, mu, and whether the pool has that year.
func (ps *ProvinceScenario) PoolMu(y int) (float64, bool) {
	for _, p := range ps.Pool {
		if p.Year == y {
			return p.NewLandMu, true
		}
	}
	return 0, false
}

// Share returns county code's bounds in year y: a share row for that
// year replaces one for every year (Year 0); ok is false when neither is
// given (floor 0, no cap, start at the county's request).
func (ps *ProvinceScenario) Share(code string, y int) (sh CountyShare, ok bool) {
	for _, s := range ps.Shares {
		if s.County != code {
			continue
		}
		if s.Year == y {
			return s, true
		}
		if s.Year == 0 {
			sh, ok = s, true
		}
	}
	return sh, ok
}
