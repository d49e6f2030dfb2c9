package planner

import "github.com/paulmach/orb"

// ParcelKind says what a parcel is today.
type ParcelKind string

// Parcel kinds, as in the public file format.
const (
	KindExisting          ParcelKind = "existing"           // a built park, locked in
	KindUnderConstruction ParcelKind = "under_construction" // a park being built, locked in
	KindNewLand           ParcelKind = "new_land"           // candidate on newly approved land; draws on quota
	KindOldFactory        ParcelKind = "old_factory"        // candidate on renovated old factory land; no quota
)

// Valid reports whether k is one of the four kinds.
func (k ParcelKind) Valid() bool {
	switch k {
	case KindExisting, KindUnderConstruction, KindNewLand, KindOldFactory:
		return true
	}
	return false
}

// Locked reports whether parcels of this kind are parks already (fixed in
// every plan unless a scenario says otherwise).
func (k ParcelKind) Locked() bool { return k == KindExisting || k == KindUnderConstruction }

// Town is a town, subdistrict or zone of the county (镇/街道).
type Town struct {
	Code       string           // stable code, e.g. "zhouxiang"
	NameZh     string           // 周巷镇
	NameEn     string           // Zhouxiang Zhen
	Type       TownType         // town, subdistrict or zone
	Industries []string         // block industry codes (一镇一业), first is the main one
	Seat       orb.Point        // town seat, lon/lat degrees; origin of relocation distances
	Boundary   orb.MultiPolygon // lon/lat degrees (EPSG:4490)
	Synthetic  bool             // boundary is synthetic (not a surveyed boundary)
	County     string           // County.Code of the county the town is in
}

// TownType says what kind of administrative unit a town is.
type TownType string

// Town types, as in the public file format.
const (
	TownTown        TownType = "town"        // 镇
	TownSubdistrict TownType = "subdistrict" // 街道
	TownZone        TownType = "zone"        // development zone (开发区)
)

// Valid reports whether t is a known town type.
func (t TownType) Valid() bool { return t == TownTown || t == TownSubdistrict || t == TownZone }

// Parcel is a piece of land that is, or could become, a park.
type Parcel struct {
	ID        string
	Town      string // Town.Code
	Kind      ParcelKind
	Name      string           // optional, e.g. 掌起万洋众创城
	AreaMu    float64          // area in mu, computed from Geometry (see geo.AreaMu)
	FAR       float64          // allowed floor-area ratio (容积率)
	CostWan   float64          // cost to open as a park, 10,000 yuan, paid in the opening year
	FloorM2   float64          // floor space built (existing) or planned (under construction), m²
	Firms     int              // firms in the park (existing) or expected to enter (under construction)
	Specialty string           // industry code of an existing/under-construction park; "" for candidates
	OpenYear  int              // year opened (existing) or due (under construction); 0 for candidates
	Geometry  orb.MultiPolygon // lon/lat degrees (EPSG:4490)
}

// ProtectedKind names a protected-land layer (三区三线).
type ProtectedKind string

// Protected-land kinds.
const (
	ProtectedFarmland    ProtectedKind = "basic_farmland" // permanent basic farmland: no park may overlap
	ProtectedRedline     ProtectedKind = "eco_redline"    // ecological red line: no park may overlap
	ProtectedDevBoundary ProtectedKind = "dev_boundary"   // urban development boundary: parks must lie inside
)

// Valid reports whether k is a known protected kind.
func (k ProtectedKind) Valid() bool {
	return k == ProtectedFarmland || k == ProtectedRedline || k == ProtectedDevBoundary
}

// ProtectedArea is one polygon of a protected-land layer.
type ProtectedArea struct {
	ID       string
	Kind     ProtectedKind
	Name     string
	Geometry orb.MultiPolygon // lon/lat degrees (EPSG:4490)
}

// Quota is a town's yearly new construction land quota set aside for parks.
type Quota struct {
	Town      string // Town.Code
	Year      int
	NewLandMu float64 // mu of new land the town may use that year
}

// Overlap is a parcel's precomputed conflict with protected land, in mu.
type Overlap struct {
	ParcelID          string
	FarmlandMu        float64 // area overlapping permanent basic farmland
	RedlineMu         float64 // area overlapping the ecological red line
	OutsideBoundaryMu float64 // area outside the urban development boundary
}
