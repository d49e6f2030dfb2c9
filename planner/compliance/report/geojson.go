package report

import (
	"encoding/json"
	"io"

	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/planner/compliance"
)

// ViolationsFeatureCollection returns the violations as RFC 7946 features
// (lon/lat EPSG:4490): spatial ones carry their overlap geometry; quota
// and invalid-geometry violations have a null geometry. Properties: kind,
// parcel_id, parks, town, year, area_mu, detail. Feature ids are
// "<kind>:<parcel or town/year>", stable across runs.
func ViolationsFeatureCollection(r *compliance.Report) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, v := range r.Violations {
		f := &geojson.Feature{Type: "Feature", Properties: geojson.Properties{
			"kind":      string(v.Kind),
			"parcel_id": v.ParcelID,
			"parks":     v.Parks,
			"town":      v.Town,
			"year":      v.Year,
			"area_mu":   v.AreaMu,
			"detail":    v.Detail,
		}}
		if v.Geometry != nil {
			f.Geometry = v.Geometry
		}
		if v.ParcelID != "" {
			f.ID = string(v.Kind) + ":" + v.ParcelID
		} else {
			f.ID = string(v.Kind) + ":" + compliance.QuotaKey(v.Town, v.Year)
		}
		fc.Append(f)
	}
	return fc
}

// WriteGeoJSON writes ViolationsFeatureCollection(r).
func WriteGeoJSON(w io.Writer, r *compliance.Report) error {
	b, err := json.Marshal(ViolationsFeatureCollection(r))
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
