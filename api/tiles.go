package api

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// OGC API – Tiles: each collection as Mapbox Vector Tiles on the
// WebMercatorQuad tile matrix set, the only one served.
const (
	mimeMVT = "application/vnd.mapbox-vector-tile"
	// tmsID and tmsURI name WebMercatorQuad (OGC 17-083r4 annex D.1).
	tmsID  = "WebMercatorQuad"
	tmsURI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	// relTilingScheme links a tileset to its tile matrix set.
	relTilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	// relTilingSchemes links the landing page to the tile matrix sets.
	relTilingSchemes = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
	// relTilesetsVector links a collection to its vector tilesets.
	relTilesetsVector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
)

// WebMercatorQuad's constants: the half-width of the square world in
// EPSG:3857 metres, the cell size of level 0 (metres per pixel of a
// 256-pixel tile) and its scale denominator (0.28 mm pixels).
const (
	mercatorHalf     = 20037508.3427892
	mercatorCell0    = 156543.03392804097
	mercatorScale0   = 559082264.0287178
	tilePixels       = 256
	tileCacheMaxAge  = "60" // seconds a base layer's tile may be reused without asking again
	tileCacheControl = "public, max-age=" + tileCacheMaxAge
)

// tilesConformance are the conformance classes of the tiles routes.
var tilesConformance = []string{
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
	"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
	"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
}

// tileLink is a link that may be a URI template.
type tileLink struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// registerTileRoutes adds the OGC API – Tiles routes (when Deps.Tiles is set).
func (s *Server) registerTileRoutes(e *echo.Echo) {
	if s.deps.Tiles == nil {
		return
	}
	get := []string{http.MethodGet, http.MethodHead}
	e.Match(get, "/tileMatrixSets", s.handleTileMatrixSets)
	e.Match(get, "/tileMatrixSets/:tileMatrixSetId", s.handleTileMatrixSet)
	e.Match(get, "/collections/:collectionId/tiles", s.handleTilesets, s.withTimeout)
	e.Match(get, "/collections/:collectionId/tiles/:tileMatrixSetId", s.handleTileset, s.withTimeout)
	e.Match(get, "/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol", s.handleTile, s.withTimeout)
}

// checkTMS answers 404 for a tile matrix set other than WebMercatorQuad.
func checkTMS(id string) error {
	if id != tmsID {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.tileMatrixSetId",
			Message: "no tile matrix set " + strconv.Quote(id) + " (served: " + tmsID + ")"}
	}
	return nil
}

// handleTileMatrixSets lists the tile matrix sets.
func (s *Server) handleTileMatrixSets(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	b := s.baseURL(c)
	return c.JSON(http.StatusOK, map[string]any{"tileMatrixSets": []map[string]any{{
		"id": tmsID, "title": "Google Maps Compatible for the World", "uri": tmsURI,
		"links": []link{{b + "/tileMatrixSets/" + tmsID, "self", mimeJSON, "the tile matrix set"}},
	}}})
}

// tileMatrix is one level of a tile matrix set (OGC 17-083r4, JSON encoding).
type tileMatrix struct {
	ID               string     `json:"id"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	CellSize         float64    `json:"cellSize"`
	CornerOfOrigin   string     `json:"cornerOfOrigin"`
	PointOfOrigin    [2]float64 `json:"pointOfOrigin"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      int        `json:"matrixWidth"`
	MatrixHeight     int        `json:"matrixHeight"`
}

// handleTileMatrixSet serves WebMercatorQuad's definition.
func (s *Server) handleTileMatrixSet(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	if err := checkTMS(c.Param("tileMatrixSetId")); err != nil {
		return err
	}
	ms := make([]tileMatrix, 0, planner.TileMaxZoom+1)
	for z := 0; z <= planner.TileMaxZoom; z++ {
		n := 1 << z
		f := math.Ldexp(1, -z)
		ms = append(ms, tileMatrix{ID: strconv.Itoa(z), ScaleDenominator: mercatorScale0 * f, CellSize: mercatorCell0 * f,
			CornerOfOrigin: "topLeft", PointOfOrigin: [2]float64{-mercatorHalf, mercatorHalf},
			TileWidth: tilePixels, TileHeight: tilePixels, MatrixWidth: n, MatrixHeight: n})
	}
	return c.JSON(http.StatusOK, map[string]any{
		"id": tmsID, "title": "Google Maps Compatible for the World", "uri": tmsURI,
		"crs": uriEPSG + "3857", "orderedAxes": []string{"E", "N"}, "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		"tileMatrices": ms,
	})
}

// tilesetLinks are a collection's tileset links: its metadata and the tile template.
func tilesetLinks(b, collection string) []tileLink {
	u := b + "/collections/" + url.PathEscape(collection) + "/tiles/" + tmsID
	return []tileLink{
		{Href: u, Rel: "self", Type: mimeJSON, Title: "the " + tmsID + " vector tileset"},
		{Href: b + "/tileMatrixSets/" + tmsID, Rel: relTilingScheme, Type: mimeJSON, Title: "the tile matrix set"},
		{Href: u + "/{tileMatrix}/{tileRow}/{tileCol}", Rel: "item", Type: mimeMVT, Title: "Mapbox Vector Tiles", Templated: true},
	}
}

// describeTiled reads the collection whose tiles are asked for (diff
// collections have no tiles).
func (s *Server) describeTiled(c echo.Context) (*planner.Collection, error) {
	if _, _, diff := parseDiffID(c.Param("collectionId")); diff {
		return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
			Message: "scenario differences have no tiles (read their items)"}
	}
	return s.deps.Features.Collection(c.Request().Context(), c.Param("collectionId"), canReadUnpublished(c))
}

// handleTilesets lists a collection's tilesets (one: WebMercatorQuad).
func (s *Server) handleTilesets(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	col, err := s.describeTiled(c)
	if err != nil {
		return err
	}
	b := s.baseURL(c)
	return c.JSON(http.StatusOK, map[string]any{"tilesets": []map[string]any{{
		"title": col.Title, "dataType": "vector", "crs": uriEPSG + "3857", "tileMatrixSetURI": tmsURI,
		"links": tilesetLinks(b, col.ID),
	}}})
}

// handleTileset serves a collection's tileset metadata: the tile
// template, the tile matrix set, and the one MVT layer with its properties.
func (s *Server) handleTileset(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	if err := checkTMS(c.Param("tileMatrixSetId")); err != nil {
		return err
	}
	col, err := s.describeTiled(c)
	if err != nil {
		return err
	}
	props := map[string]any{}
	for _, p := range col.Properties {
		t := p.Type
		if t == "array" {
			t = "string" // JSON text in a tile
		}
		props[p.Name] = map[string]string{"type": t, "description": p.Desc}
	}
	doc := map[string]any{
		"title": col.Title, "description": col.Description, "dataType": "vector",
		"crs": uriEPSG + "3857", "tileMatrixSetURI": tmsURI, "links": tilesetLinks(s.baseURL(c), col.ID),
		"layers": []map[string]any{{"id": col.Layer, "title": col.Title, "dataType": "vector",
			"geometryDimension": geometryDimension[col.GeometryType],
			"propertiesSchema":  map[string]any{"type": "object", "properties": props}}},
	}
	if col.Extent != nil {
		e := col.Extent
		doc["boundingBox"] = map[string]any{"lowerLeft": []float64{e[0], e[1]}, "upperRight": []float64{e[2], e[3]}, "crs": uriCRS84}
	}
	return c.JSON(http.StatusOK, doc)
}

// geometryDimension is a GeoJSON geometry type's dimension.
var geometryDimension = map[string]int{"Point": 0, "LineString": 1, "MultiPolygon": 2}

// tileCoord parses a tile path parameter: a decimal integer.
func tileCoord(c echo.Context, name string) (int, error) {
	v := c.Param(name)
	n, err := strconv.Atoi(v)
	if err != nil || v == "" || v[0] == '+' {
		return 0, planner.FieldErrorf("path."+name, "%q is not a whole number", v)
	}
	return n, nil
}

// handleTile serves one tile: 200 with the MVT, 204 when no feature
// touches the tile, 304 when If-None-Match names its ETag.
func (s *Server) handleTile(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	if f := c.QueryParam("f"); f != "" && f != "mvt" {
		return invalidParam("f", "unknown format %q (tiles are mvt)", f)
	}
	if err := checkTMS(c.Param("tileMatrixSetId")); err != nil {
		return err
	}
	q := planner.TileQuery{Collection: c.Param("collectionId"), Unpublished: canReadUnpublished(c)}
	var err error
	if q.Z, err = tileCoord(c, "tileMatrix"); err != nil {
		return err
	}
	if q.Y, err = tileCoord(c, "tileRow"); err != nil {
		return err
	}
	if q.X, err = tileCoord(c, "tileCol"); err != nil {
		return err
	}
	if err := q.Check(); err != nil {
		return err
	}
	t, err := s.deps.Tiles.Tile(c.Request().Context(), q)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", t.ETag)
	// A base layer changes only on an import: caches may keep its tiles a
	// minute. A scenario's layers change when it is re-run: caches must ask
	// again each time (answered 304 while unchanged). Tiles only reviewers
	// and planners may read stay out of shared caches.
	switch {
	case !t.Public:
		h.Set("Cache-Control", "private, no-cache")
	case baseLayers[q.Collection]:
		h.Set("Cache-Control", tileCacheControl)
	default:
		h.Set("Cache-Control", "public, no-cache")
	}
	if etagMatch(c.Request().Header.Get("If-None-Match"), t.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	if len(t.MVT) == 0 {
		return c.NoContent(http.StatusNoContent)
	}
	return writeParts(c, mimeMVT, t.MVT)
}

// etagMatch reports whether an If-None-Match header names etag (or is
// "*"); weak tags compare by their opaque part (RFC 9110 §13.1.2).
func etagMatch(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}
