package compliance

import (
	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// DefaultToleranceMu is the default sliver tolerance: an overlap with
// protected land smaller than 0.01 mu (6.7 m², a digitising error between
// two layers drawn from different maps) is reported as a sliver, not a
// violation.
const DefaultToleranceMu = 0.01

// ParcelCheck is one park's or proposed parcel's conflict with protected
// land, computed in PostGIS on the CGCS2000 ellipsoid (geography areas).
// Areas are in mu; geometries are the overlap pieces in lon/lat degrees
// (EPSG:4490), nil when there is no overlap.
type ParcelCheck struct {
	ParcelID string             `json:"parcel_id"`
	Town     string             `json:"town"`
	Kind     planner.ParcelKind `json:"kind"`
	OpenYear int                `json:"open_year,omitempty"`
	AreaMu   float64            `json:"area_mu"` // the parcel's own area, computed in PostGIS
	// Valid is false when the input geometry is invalid; InvalidReason is
	// PostGIS's ST_IsValidReason. Invalid geometry is never repaired and
	// its overlaps are not computed.
	Valid         bool   `json:"valid"`
	InvalidReason string `json:"invalid_reason,omitempty"`

	FarmlandMu        float64 `json:"farmland_mu"`
	RedlineMu         float64 `json:"redline_mu"`
	OutsideBoundaryMu float64 `json:"outside_boundary_mu"`

	Farmland        orb.MultiPolygon `json:"-"`
	Redline         orb.MultiPolygon `json:"-"`
	OutsideBoundary orb.MultiPolygon `json:"-"`
}

// ViolationKind names what a violation breaks.
type ViolationKind string

// Violation kinds.
const (
	ViolationFarmland        ViolationKind = "basic_farmland"       // overlaps permanent basic farmland
	ViolationRedline         ViolationKind = "eco_redline"          // overlaps the ecological red line
	ViolationOutsideBoundary ViolationKind = "outside_dev_boundary" // lies (partly) outside the development boundary
	ViolationInvalidGeometry ViolationKind = "invalid_geometry"     // input geometry invalid (not repaired)
	ViolationOverQuota       ViolationKind = "over_quota"           // new land over the town's quota that year
	ViolationBeyondOfficial  ViolationKind = "beyond_official_quota"
)

// Violation is one thing the bureau cannot sign off (or, in Report.Slivers,
// an overlap too small to count). AreaMu is the overlap (spatial kinds) or
// the excess (quota kinds); Geometry is the overlap, nil for quota kinds.
type Violation struct {
	Kind     ViolationKind `json:"kind"`
	ParcelID string        `json:"parcel_id,omitempty"`
	Parks    []string      `json:"parks,omitempty"` // quota kinds: the new-land parks of that town and year
	Town     string        `json:"town"`
	Year     int           `json:"year,omitempty"`
	AreaMu   float64       `json:"area_mu"`
	Detail   string        `json:"detail"`
	Geometry orb.Geometry  `json:"-"`
}
