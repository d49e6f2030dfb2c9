package planner

// Dataset is everything a plan is made from: the land, quotas and firms of
// one county. Slices are kept in ID order by the stores that fill them.
type Dataset struct {
	Towns       []Town
	Parcels     []Parcel
	Protected   []ProtectedArea
	Quotas      []Quota
	Industries  []Industry
	Enterprises []Enterprise
	// Overlaps holds each parcel's conflict with protected land, computed
	// by the store (PostGIS) or by geo; parcels with none may be absent.
	Overlaps map[string]Overlap
}
