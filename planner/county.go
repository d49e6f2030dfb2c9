package planner

import (
	"fmt"

	"github.com/paulmach/orb"
)

// The default county: data without counties (no counties.geojson, or a
// database imported before counties were kept) is one county, Cixi, the
// county of the programme the demo reproduces.
const (
	DefaultCountyCode       = "cixi"
	defaultCountyNameZh     = "慈溪市"
	defaultCountyNameEn     = "Cixi"
	defaultCountyPrefecture = "宁波市"
)

// DefaultCounty returns the implied county of data without counties: no
// seat and no boundary of its own (the store shows its towns' union).
func DefaultCounty() County {
	return County{Code: DefaultCountyCode, NameZh: defaultCountyNameZh, NameEn: defaultCountyNameEn,
		Prefecture: defaultCountyPrefecture, Implied: true}
}

// OnlyImpliedCounty reports whether counties is the data of a one-county
// dataset without counties of its own: none, or the implied default
// county alone. Such data is written and hashed as before counties
// existed (no counties.geojson, no town county property).
func OnlyImpliedCounty(counties []County) bool {
	return len(counties) == 0 || (len(counties) == 1 && counties[0].Implied)
}

// CountyCodes returns the dataset's county codes in order; a dataset
// without counties has the default county's.
func (ds *Dataset) CountyCodes() []string {
	if len(ds.Counties) == 0 {
		return []string{DefaultCountyCode}
	}
	out := make([]string, len(ds.Counties))
	for i, c := range ds.Counties {
		out[i] = c.Code
	}
	return out
}

// townCounty is the county of t: its County, or the default county's
// code for a town of a dataset built without counties.
func townCounty(t *Town) string {
	if t.County == "" {
		return DefaultCountyCode
	}
	return t.County
}

// CountyDataset returns the sub-dataset of one county, for a county's
// solve in a provincial plan: the county, its towns, their quotas,
// parcels, firms and overlaps, the protected areas whose boxes meet a
// town's box (protected land is not assigned to towns, and parcels' own
// conflicts are in Overlaps), and every industry (shared). Slices keep
// ds's order; ds is not modified, the result shares no slice with it
// (geometries are shared, read-only). Revision is ds's. An unknown code
// is ENOTFOUND.
func (ds *Dataset) CountyDataset(code string) (*Dataset, error) {
	var county *County
	for i := range ds.Counties {
		if ds.Counties[i].Code == code {
			county = &ds.Counties[i]
			break
		}
	}
	if county == nil {
		if len(ds.Counties) > 0 || code != DefaultCountyCode {
			return nil, &Error{Code: ENOTFOUND, Field: "county",
				Message: fmt.Sprintf("no county %q in the dataset (counties: %v)", code, ds.CountyCodes())}
		}
		c := DefaultCounty()
		county = &c
	}
	out := &Dataset{Counties: []County{*county}, Industries: append([]Industry(nil), ds.Industries...),
		Overlaps: map[string]Overlap{}, Revision: ds.Revision}
	towns := map[string]bool{}
	var boxes []orb.Bound
	for i := range ds.Towns {
		if townCounty(&ds.Towns[i]) == code {
			out.Towns = append(out.Towns, ds.Towns[i])
			towns[ds.Towns[i].Code] = true
			boxes = append(boxes, ds.Towns[i].Boundary.Bound())
		}
	}
	for _, q := range ds.Quotas {
		if towns[q.Town] {
			out.Quotas = append(out.Quotas, q)
		}
	}
	for _, p := range ds.Parcels {
		if towns[p.Town] {
			out.Parcels = append(out.Parcels, p)
			if o, ok := ds.Overlaps[p.ID]; ok {
				out.Overlaps[p.ID] = o
			}
		}
	}
	for _, e := range ds.Enterprises {
		if towns[e.Town] {
			out.Enterprises = append(out.Enterprises, e)
		}
	}
	for _, a := range ds.Protected {
		b := a.Geometry.Bound()
		for _, tb := range boxes {
			if tb.Intersects(b) {
				out.Protected = append(out.Protected, a)
				break
			}
		}
	}
	return out, nil
}
