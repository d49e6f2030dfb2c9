package planner

// Dataset is everything a plan is made from: the land, quotas and firms of
// one county or of several (a province: Counties, Town.County). Slices
// are kept in ID order by the stores that fill them.
type Dataset struct {
	// Counties holds the counties the towns are in (by code); data
	// without counties has the one implied DefaultCounty.
	Counties    []County
	Towns       []Town
	Parcels     []Parcel
	Protected   []ProtectedArea
	Quotas      []Quota
	Industries  []Industry
	Enterprises []Enterprise
	// Overlaps holds each parcel's conflict with protected land, computed
	// by the store (PostGIS) or by geo; parcels with none may be absent.
	Overlaps map[string]Overlap
	// Revision is the store's dataset revision this dataset was read at
	// (every import makes one: 1, 2, …), read in the same snapshot as the
	// layers; 0 when the dataset was not read from a store or the store
	// has no import recorded. It is not part of ScenarioHash: the hash
	// covers the content, the revision names it.
	Revision int
}
