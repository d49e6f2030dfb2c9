package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// CRS is a coordinate reference system a feature layer can be served in,
// named by its EPSG code (CRS84 by 84). CRS84 (longitude, latitude) is the
// GeoJSON default; the EPSG CRSs keep their authority axis order (latitude
// or northing first) as OGC API – Features Part 2 asks.
type CRS int

// CRSs parkplan serves. Geometry is stored in EPSG:4490 (CGCS2000 lon/lat).
const (
	CRS84    CRS = 84   // OGC CRS84: WGS84 longitude, latitude (degrees)
	EPSG4326 CRS = 4326 // WGS84 latitude, longitude (degrees)
	EPSG4490 CRS = 4490 // CGCS2000 latitude, longitude (degrees); storage CRS
	EPSG4549 CRS = 4549 // CGCS2000 / 3-degree Gauss-Kruger CM 120E: northing, easting (metres)
)

// SRID returns the PostGIS SRID of c (CRS84 is SRID 4326).
func (c CRS) SRID() int {
	if c == CRS84 {
		return 4326
	}
	return int(c)
}

// LatFirst reports whether c's authority axis order puts latitude (or
// northing) first, so coordinates must be swapped from the x/y order of
// PostGIS before they are written or after they are read.
func (c CRS) LatFirst() bool { return c != CRS84 }

// Valid reports whether c is one of the CRSs parkplan serves.
func (c CRS) Valid() bool {
	switch c {
	case CRS84, EPSG4326, EPSG4490, EPSG4549:
		return true
	}
	return false
}

// Domain returns where coordinates of c are accepted (a bbox, a query
// point), as [min x, min y, max x, max y] in c's authority axis order:
// the whole globe for the geographic CRSs; for EPSG:4549 the region in
// which its Gauss–Krüger projection (central meridian 120° E) inverts to
// sensible longitudes and latitudes, about 92°–148° E, 0°–63° N — wider
// than the zone's EPSG area of use (118.5°–121.5° E), narrower than the
// numbers PROJ refuses ("Point outside of projection domain") or turns
// into nonsense.
func (c CRS) Domain() [4]float64 {
	switch c {
	case CRS84:
		return [4]float64{-180, -90, 180, 90}
	case EPSG4326, EPSG4490:
		return [4]float64{-90, -180, 90, 180}
	case EPSG4549:
		// northing 0…7,000 km, easting −1,000…2,000 km (false easting 500 km).
		return [4]float64{0, -1e6, 7e6, 2e6}
	}
	panic(fmt.Sprintf("planner: CRS %d has no domain", c))
}

// InDomain reports whether the box b (c's axis order) lies inside c's
// Domain: each of its four numbers within its axis's range (NaN is not).
func (c CRS) InDomain(b [4]float64) bool {
	d := c.Domain()
	in := func(v, lo, hi float64) bool { return v >= lo && v <= hi }
	return in(b[0], d[0], d[2]) && in(b[2], d[0], d[2]) && in(b[1], d[1], d[3]) && in(b[3], d[1], d[3])
}

// Collection is a feature layer: a base layer (towns, parcels, protected,
// enterprises), one layer of a solved scenario ("{scenario}.parks", …), or
// saved quota checks' violations ("violations", "check-{id}.violations";
// reviewer and planner roles only).
type Collection struct {
	ID           string // "parcels", "baseline.parks"
	Title        string
	Description  string
	Scenario     string // scenario id for scenario layers; "" for base layers
	Layer        string // towns, parcels, protected, enterprises, parks, assignments, unplaced, candidates, violations
	GeometryType string // Point, LineString, MultiPolygon (GeoJSON names)
	// Extent is the layer's bounding box in CRS84 degrees [west, south,
	// east, north]; nil when the layer is empty.
	Extent *[4]float64
	// Properties names each property with its JSON type (string, number,
	// integer, boolean), in the order features carry them.
	Properties []Property
	Published  bool      // readable by the public role (false: unpublished scenarios, saved checks' violations)
	Updated    time.Time // scenario layers: when the plan was saved; zero for base layers
}

// Property is one property of a collection's features.
type Property struct {
	Name string
	Type string // string, number, integer, boolean
	Desc string // meaning and unit (mu, m², metres, 10,000 yuan)
}

// ItemsMaxLimit is the largest page ItemsQuery.Limit may ask for.
const ItemsMaxLimit = 10000

// ItemsQuery selects one page of a collection's features. Pages are cut
// from a total order by feature id, so walking Offset by Limit visits every
// feature exactly once while the layer is unchanged.
type ItemsQuery struct {
	Collection string // collection id, checked against the layer allow-list
	Limit      int    // 1 … ItemsMaxLimit
	Offset     int    // features to skip, ≥ 0
	// Bbox filters to features whose geometry intersects [minx, miny, maxx,
	// maxy] given in BboxCRS axis order (CRS84: lon/lat; EPSG 4326/4490:
	// lat/lon; EPSG 4549: northing/easting metres). Nil: no filter.
	Bbox    *[4]float64
	BboxCRS CRS
	CRS     CRS // CRS of the returned geometries
	// Unpublished lets the query read unpublished scenarios' layers
	// (reviewer and planner roles).
	Unpublished bool
}

// FeaturePage is one page of features, already encoded as RFC 7946
// GeoJSON by the store so the API copies bytes instead of building JSON.
type FeaturePage struct {
	// Features is a JSON array of GeoJSON Feature objects, in id order.
	Features json.RawMessage
	// Returned is the number of features in Features.
	Returned int
	// Matched is the number of features matching the query's filters, or
	// -1 when it was not counted (more than FeatureStore's count cap).
	Matched int
	// Truncated: the page ended before Limit features because the next
	// feature would have taken it over the store's vertex limit per
	// response; more features follow from Offset+Returned.
	Truncated bool
}

// FeatureStore serves feature layers as pre-encoded GeoJSON. Unknown
// collections and features are ENOTFOUND errors; bad queries EINVALID
// errors naming the field; a feature larger than one response may carry
// an ETOOLARGE error naming it.
type FeatureStore interface {
	// Collections lists the base layers and every solved scenario's layers
	// (only published scenarios unless unpublished is true), then, when
	// unpublished is true, the saved checks' violations.
	Collections(ctx context.Context, unpublished bool) ([]Collection, error)
	// Collection describes one collection.
	Collection(ctx context.Context, id string, unpublished bool) (*Collection, error)
	// Items returns one page of a collection.
	Items(ctx context.Context, q ItemsQuery) (*FeaturePage, error)
	// Item returns one feature as a GeoJSON Feature object.
	Item(ctx context.Context, collection, id string, crs CRS, unpublished bool) (json.RawMessage, error)
}
