package planner

import (
	"context"
	"fmt"
)

// Map tiles: Mapbox Vector Tiles of a collection on the WebMercatorQuad
// tile matrix set (OGC API – Tiles; EPSG:3857, 256-pixel tiles, tile (0,0)
// at the north-west corner).

// TileMaxZoom is the deepest WebMercatorQuad level served (the OGC
// definition lists levels 0 … 24).
const TileMaxZoom = 24

// TileQuery selects one tile of a collection.
type TileQuery struct {
	Collection string // collection id, checked against the layer allow-list
	Z, X, Y    int    // WebMercatorQuad tile matrix (zoom), column and row
	// Unpublished lets the query read unpublished scenarios' layers and
	// the saved checks' (reviewer and planner roles).
	Unpublished bool
}

// Check returns an EINVALID error naming the first coordinate outside
// WebMercatorQuad: z in 0 … TileMaxZoom, x and y in 0 … 2^z − 1.
func (q TileQuery) Check() error {
	if q.Z < 0 || q.Z > TileMaxZoom {
		return FieldErrorf("path.tileMatrix", "zoom level %d is outside 0…%d", q.Z, TileMaxZoom)
	}
	n := 1 << q.Z
	if q.Y < 0 || q.Y >= n {
		return FieldErrorf("path.tileRow", "row %d is outside 0…%d at zoom %d", q.Y, n-1, q.Z)
	}
	if q.X < 0 || q.X >= n {
		return FieldErrorf("path.tileCol", "column %d is outside 0…%d at zoom %d", q.X, n-1, q.Z)
	}
	return nil
}

// String names the tile as "collection/z/y/x" (the OGC path order).
func (q TileQuery) String() string {
	return fmt.Sprintf("%s/%d/%d/%d", q.Collection, q.Z, q.Y, q.X)
}

// Tile is one encoded Mapbox Vector Tile. Its one layer is named after the
// collection's layer (parcels, parks, …) and carries the same properties
// as the collection's GeoJSON features.
type Tile struct {
	// MVT is the tile's protobuf bytes; empty when no feature touches the tile.
	MVT []byte
	// ETag is a strong entity tag of MVT (a hash of the bytes, quoted),
	// so an unchanged tile revalidates with 304 Not Modified.
	ETag string
	// Features is the number of features in the tile.
	Features int
	// Public is true when the public role may read the tile (shared
	// caches may keep it).
	Public bool
}

// TileStore serves collections as vector tiles. Unknown collections are
// ENOTFOUND errors, tiles outside the matrix set EINVALID errors.
type TileStore interface {
	Tile(ctx context.Context, q TileQuery) (*Tile, error)
}
