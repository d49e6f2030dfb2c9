package api

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// baseLayers are the layers /layers/{layer}.geojson serves.
var baseLayers = map[string]bool{"towns": true, "parcels": true, "protected": true, "enterprises": true, "counties": true}

// layerChunk is how many features a download reads per query; the file
// is streamed chunk by chunk, so memory stays bounded for any layer size.
const layerChunk = planner.ItemsMaxLimit

// registerLayerRoutes adds the plain GeoJSON downloads of the base layers.
func (s *Server) registerLayerRoutes(e *echo.Echo) {
	e.Match([]string{http.MethodGet, http.MethodHead}, "/layers/:file", s.handleLayer, s.withTimeout)
}

// handleLayer serves /layers/{layer}.geojson.
func (s *Server) handleLayer(c echo.Context) error {
	if err := checkParams(c); err != nil {
		return err
	}
	file := c.Param("file")
	name, ok := strings.CutSuffix(file, ".geojson")
	if !ok || !baseLayers[name] {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.layer",
			Message: "no layer file " + strconv.Quote(file) + " (towns.geojson, parcels.geojson, protected.geojson, enterprises.geojson, counties.geojson)"}
	}
	return s.WriteLayerGeoJSON(c, name, name+".geojson")
}

// WriteLayerGeoJSON streams a whole collection as one RFC 7946 GeoJSON
// FeatureCollection (CRS84, features in id order) as an attachment named
// filename. Errors before the first byte are returned (rendered as problems); after
// it, the response is cut short and the error logged.
func (s *Server) WriteLayerGeoJSON(c echo.Context, collection, filename string) error {
	return s.streamLayer(c, collection, strings.ReplaceAll(collection, ".", "_"), `attachment; filename="`+filename+`"`)
}

// streamLayer writes a whole collection page by page: memory holds one
// page, which the store bounds by its vertex limit. The total order by
// feature id makes the pages disjoint and complete; a page cut at the
// vertex limit (Truncated) is followed from its last feature.
func (s *Server) streamLayer(c echo.Context, collection, name, disposition string) error {
	q := planner.ItemsQuery{Collection: collection, Limit: layerChunk, CRS: planner.CRS84, BboxCRS: planner.CRS84,
		Unpublished: canReadUnpublished(c)}
	return streamPages(c, q, name, disposition, func(q planner.ItemsQuery) (*planner.FeaturePage, error) {
		return s.deps.Features.Items(c.Request().Context(), q)
	})
}

// streamPages writes the pages read from q on as one FeatureCollection
// named name (with a Content-Disposition unless disposition is empty),
// through planner.WriteCollection: the headers go out once the first page
// is read.
func streamPages(c echo.Context, q planner.ItemsQuery, name, disposition string, read func(planner.ItemsQuery) (*planner.FeaturePage, error)) error {
	_, err := planner.WriteCollection(q, name, read, func() (io.Writer, error) {
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, mimeGeoJSON)
		if disposition != "" {
			h.Set(echo.HeaderContentDisposition, disposition)
		}
		c.Response().WriteHeader(http.StatusOK)
		return c.Response(), nil
	})
	return err
}
