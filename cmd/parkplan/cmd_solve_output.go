package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// writePlanFiles writes a plan's five files into dir (docs/data-format.md,
// "Plan outputs"): RFC 7946 GeoJSON in lon/lat (EPSG:4490), features in id
// order, and plan.json. The bytes depend only on the plan and the dataset.
func writePlanFiles(dir string, ds *planner.Dataset, plan *planner.Plan) error {
	parcels := map[string]planner.Parcel{}
	for _, p := range ds.Parcels {
		parcels[p.ID] = p
	}
	firms := map[string]planner.Enterprise{}
	for _, e := range ds.Enterprises {
		firms[e.ID] = e
	}
	files := []struct {
		name string
		fc   *geojson.FeatureCollection
	}{
		{"parks.geojson", parksLayer(plan, parcels)},
		{"assignments.geojson", assignmentsLayer(plan, parcels, firms)},
		{"unplaced.geojson", unplacedLayer(plan, firms)},
		{"towns.geojson", townsLayer(plan, ds)},
	}
	for _, f := range files {
		fc := f.fc
		if err := writeFileAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return writeJSON(w, fc) }); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(dir, "plan.json"), func(w io.Writer) error { return writeJSON(w, plan) })
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func parksLayer(plan *planner.Plan, parcels map[string]planner.Parcel) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, pk := range plan.Parks {
		p := parcels[pk.ParcelID]
		f := geojson.NewFeature(p.Geometry)
		f.ID = pk.ParcelID
		f.Properties = geojson.Properties{
			"parcel_id": pk.ParcelID, "name": p.Name, "town": pk.Town, "kind": string(pk.Kind), "specialty": pk.Specialty,
			"open_year": pk.OpenYear, "tier": string(pk.Tier), "locked": pk.Locked, "area_mu": pk.AreaMu, "far": pk.FAR,
			"capacity_m2": pk.CapacityM2, "floor_used_m2": pk.FloorUsedM2, "firms": pk.Firms,
			"small_micro_share": pk.SmallMicroShare, "specialty_firm_share": pk.SpecialtyFirmShare,
			"specialty_floor_share": pk.SpecialtyFloorShare, "output_wan": pk.OutputWan, "cost_wan": pk.CostWan,
		}
		fc.Append(f)
	}
	return fc
}

func assignmentsLayer(plan *planner.Plan, parcels map[string]planner.Parcel, firms map[string]planner.Enterprise) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, a := range plan.Assignments {
		e := firms[a.EnterpriseID]
		c := geo.Centroid(parcels[a.ParcelID].Geometry)
		f := geojson.NewFeature(orb.LineString{e.Location, c})
		f.ID = a.EnterpriseID
		f.Properties = geojson.Properties{
			"enterprise_id": a.EnterpriseID, "parcel_id": a.ParcelID, "town": e.Town, "industry": e.Industry,
			"size": string(e.Size), "floor_m2": e.FloorM2, "distance_m": a.DistanceM,
			"firm_distance_m": geo.DistanceM(e.Location, c),
		}
		fc.Append(f)
	}
	return fc
}

func unplacedLayer(plan *planner.Plan, firms map[string]planner.Enterprise) *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, u := range plan.Unplaced {
		e := firms[u.EnterpriseID]
		f := geojson.NewFeature(e.Location)
		f.ID = u.EnterpriseID
		f.Properties = geojson.Properties{
			"enterprise_id": u.EnterpriseID, "reason": string(u.Reason), "town": e.Town, "industry": e.Industry,
			"size": string(e.Size), "floor_m2": e.FloorM2, "pollution": string(e.Pollution),
			"low_scattered": e.LowScattered, "safety_ok": e.SafetyOK, "mu_class": string(e.MuClass),
			"detail": u.Detail,
		}
		fc.Append(f)
	}
	return fc
}

func townsLayer(plan *planner.Plan, ds *planner.Dataset) *geojson.FeatureCollection {
	towns := map[string]planner.Town{}
	for _, t := range ds.Towns {
		towns[t.Code] = t
	}
	fc := geojson.NewFeatureCollection()
	for _, ts := range plan.Towns {
		t := towns[ts.Town]
		f := geojson.NewFeature(t.Boundary)
		f.ID = ts.Town
		props := geojson.Properties{
			"town": ts.Town, "name_zh": t.NameZh, "name_en": t.NameEn, "parks": ts.Parks, "new_parks": ts.NewParks,
			"firms_placed": ts.FirmsPlaced,
		}
		for y, v := range ts.QuotaMu {
			props[fmt.Sprintf("quota_mu_%d", y)] = v
		}
		for y, v := range ts.NewLandUsedMu {
			props[fmt.Sprintf("new_land_used_mu_%d", y)] = v
		}
		for y, v := range ts.OldFactoryMu {
			props[fmt.Sprintf("old_factory_mu_%d", y)] = v
		}
		f.Properties = props
		fc.Append(f)
	}
	return fc
}
