package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
)

// hashVersion changes whenever the canonical form below changes.
const hashVersion = "parkplan-scenario-hash-v1"

// ScenarioHash returns the hex SHA-256 of the canonical form of a scenario's
// rules and the dataset it is solved on: the same hash means the same
// inputs, so the same plan to the byte. The scenario's name and
// description are left out (they change no figure); lists and maps are
// sorted; numbers are written in Go's shortest round-trip form.
func ScenarioHash(sc Scenario, ds *Dataset) string {
	sc.Normalize()
	sc.Name, sc.Description = "", ""
	h := sha256.New()
	h.Write([]byte(hashVersion + "\n"))
	enc := json.NewEncoder(h)
	must(enc.Encode(sc))
	if ds != nil {
		c := canonicalDataset(ds)
		must(enc.Encode(c))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func must(err error) {
	if err != nil {
		panic("planner: canonical encoding: " + err.Error())
	}
}

type canonicalData struct {
	Counties    []County `json:",omitempty"` // the implied default county left out
	Towns       []any    // HashedTown
	Parcels     []Parcel
	Protected   []ProtectedArea
	Quotas      []Quota
	Industries  []Industry
	Enterprises []Enterprise
	Overlaps    []Overlap
}

func canonicalDataset(ds *Dataset) canonicalData {
	c := canonicalData{
		Parcels:     append([]Parcel(nil), ds.Parcels...),
		Protected:   append([]ProtectedArea(nil), ds.Protected...),
		Quotas:      append([]Quota(nil), ds.Quotas...),
		Industries:  append([]Industry(nil), ds.Industries...),
		Enterprises: append([]Enterprise(nil), ds.Enterprises...),
	}
	implied := impliedCounties(ds.Counties)
	for _, cn := range ds.Counties {
		if !cn.Implied {
			c.Counties = append(c.Counties, cn)
		}
	}
	sort.Slice(c.Counties, func(i, j int) bool { return c.Counties[i].Code < c.Counties[j].Code })
	towns := append([]Town(nil), ds.Towns...)
	sort.Slice(towns, func(i, j int) bool { return towns[i].Code < towns[j].Code })
	for _, t := range towns {
		c.Towns = append(c.Towns, HashedTown(t, implied(townCounty(&t))))
	}
	sort.Slice(c.Parcels, func(i, j int) bool { return c.Parcels[i].ID < c.Parcels[j].ID })
	sort.Slice(c.Protected, func(i, j int) bool { return c.Protected[i].ID < c.Protected[j].ID })
	sort.Slice(c.Quotas, func(i, j int) bool {
		a, b := c.Quotas[i], c.Quotas[j]
		if a.Town != b.Town {
			return a.Town < b.Town
		}
		return a.Year < b.Year
	})
	sort.Slice(c.Industries, func(i, j int) bool { return c.Industries[i].Code < c.Industries[j].Code })
	sort.Slice(c.Enterprises, func(i, j int) bool { return c.Enterprises[i].ID < c.Enterprises[j].ID })
	for _, id := range sortedKeys(ds.Overlaps) {
		o := ds.Overlaps[id]
		o.ParcelID = id
		if o.FarmlandMu == 0 && o.RedlineMu == 0 && o.OutsideBoundaryMu == 0 {
			continue // "no overlap" and "absent" are the same input
		}
		c.Overlaps = append(c.Overlaps, o)
	}
	return c
}

// hashedTown is a town as the hashes encode it: the fields it had before
// counties existed, then its county unless that county is implied.
type hashedTown struct {
	Town
	County string `json:",omitempty"` // shadows Town.County
}

// HashedTown returns t as ScenarioHash and the import's content hash
// (planner/dataset) encode it: with its county left out when that county
// is the implied default (impliedCounty), so one-county data keeps the
// hashes it had before counties existed.
func HashedTown(t Town, impliedCounty bool) any {
	h := hashedTown{Town: t, County: t.County}
	if impliedCounty {
		h.County = ""
	}
	return h
}

// impliedCounties returns whether a county code names an implied county
// of counties (every code when there are none).
func impliedCounties(counties []County) func(code string) bool {
	if len(counties) == 0 {
		return func(string) bool { return true }
	}
	m := map[string]bool{}
	for _, c := range counties {
		if c.Implied {
			m[c.Code] = true
		}
	}
	return func(code string) bool { return m[code] }
}
