package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// Media types of the OGC API.
const (
	mimeGeoJSON = "application/geo+json"
	mimeJSON    = "application/json"
	mimeHTML    = "text/html"
	mimeOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
)

// Conformance classes parkplan implements.
var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
}

// link is an OGC API link object.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// registerOGCRoutes adds the OGC API – Features routes.
func (s *Server) registerOGCRoutes(e *echo.Echo) {
	// HEAD answers as GET without the body (net/http drops it).
	get := []string{http.MethodGet, http.MethodHead}
	e.Match(get, "/api", s.handleOpenAPI)
	e.Match(get, "/conformance", s.handleConformance)
	e.Match(get, "/collections", s.handleCollections, s.withTimeout)
	e.Match(get, "/collections/:collectionId", s.handleCollection, s.withTimeout)
	e.Match(get, "/collections/:collectionId/items", s.handleItems, s.withTimeout)
	e.Match(get, "/collections/:collectionId/items/:featureId", s.handleItem, s.withTimeout)
	// "/" is registered by registerWebRoutes: the map page for browsers, the
	// landing page for everyone else; /ogc is the landing page's fixed address.
	e.Match(get, "/ogc", s.handleLanding)
}

// baseURL returns the URL prefix for links: Config.BaseURL or the request's scheme and host.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// wantHTML reports whether the client asked for HTML: f=html, or no f and
// an Accept header preferring text/html (browsers).
func wantHTML(c echo.Context) (bool, error) {
	switch f := c.QueryParam("f"); f {
	case "html":
		return true, nil
	case "json", "geojson":
		return false, nil
	case "":
		acc := c.Request().Header.Get(echo.HeaderAccept)
		i := strings.Index(acc, mimeHTML)
		if i < 0 {
			return false, nil
		}
		j := strings.Index(acc, "json")
		return j < 0 || i < j, nil
	default:
		return false, invalidParam("f", "unknown format %q (json, geojson or html)", f)
	}
}

// checkParams answers 400 for query parameters outside known.
func checkParams(c echo.Context, known ...string) error {
	for name := range c.QueryParams() {
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			return invalidParam(name, "unknown query parameter %q (known: %s)", name, strings.Join(known, ", "))
		}
	}
	return nil
}

// handleLanding serves the landing page.
func (s *Server) handleLanding(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	html, err := wantHTML(c)
	if err != nil {
		return err
	}
	b := s.baseURL(c)
	doc := struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Links       []link `json:"links"`
	}{
		Title:       "parkplan",
		Description: "Small/micro-enterprise park planning: base layers and scenario plans as OGC API – Features",
		Links: []link{
			{b + c.Request().URL.Path + "?f=json", "self", mimeJSON, "this document"},
			{b + c.Request().URL.Path + "?f=html", "alternate", mimeHTML, "this document as HTML"},
			{b + "/api", "service-desc", mimeOpenAPI, "the API definition (OpenAPI 3.0)"},
			{b + "/conformance", "conformance", mimeJSON, "conformance classes"},
			{b + "/collections", "data", mimeJSON, "feature collections"},
		},
	}
	if s.deps.Tiles != nil {
		doc.Links = append(doc.Links, link{b + "/tileMatrixSets", relTilingSchemes, mimeJSON, "tile matrix sets of the vector tiles"})
	}
	if html {
		return s.renderHTML(c, "landing", doc)
	}
	return c.JSON(http.StatusOK, doc)
}

// handleConformance serves /conformance.
func (s *Server) handleConformance(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	html, err := wantHTML(c)
	if err != nil {
		return err
	}
	doc := map[string][]string{"conformsTo": conformance}
	if s.deps.Tiles != nil {
		doc["conformsTo"] = append(append([]string(nil), conformance...), tilesConformance...)
	}
	if html {
		return s.renderHTML(c, "conformance", doc)
	}
	return c.JSON(http.StatusOK, doc)
}

// collectionDoc is a collection's JSON description.
type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	ItemType    string   `json:"itemType"`
	Links       []link   `json:"links"`
	Extent      *extent  `json:"extent,omitempty"`
	CRS         []string `json:"crs"`
	StorageCRS  string   `json:"storageCrs"`
	// Properties is parkplan's extension: each property's type and meaning.
	Properties   []propertyDoc `json:"properties,omitempty"`
	GeometryType string        `json:"geometryType,omitempty"`
	Scenario     string        `json:"scenario,omitempty"`
	Published    *bool         `json:"published,omitempty"`
}

// extent is a collection's spatial extent in CRS84.
type extent struct {
	Spatial struct {
		Bbox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
}

// propertyDoc describes one feature property.
type propertyDoc struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
}

// collectionJSON builds a collection's description.
func (s *Server) collectionJSON(b string, col *planner.Collection) collectionDoc {
	u := b + "/collections/" + url.PathEscape(col.ID)
	d := collectionDoc{ID: col.ID, Title: col.Title, Description: col.Description, ItemType: "feature",
		Links: []link{
			{u + "?f=json", "self", mimeJSON, "this collection"},
			{u + "?f=html", "alternate", mimeHTML, "this collection as HTML"},
			{u + "/items?f=json", "items", mimeGeoJSON, "the features"},
			{u + "/items?f=html", "items", mimeHTML, "the features as HTML"},
		},
		StorageCRS: uriStorage, GeometryType: col.GeometryType, Scenario: col.Scenario,
	}
	_, _, isDiff := parseDiffID(col.ID)
	if s.deps.Tiles != nil && !isDiff {
		d.Links = append(d.Links, link{u + "/tiles", relTilesetsVector, mimeJSON, "the collection as vector tiles (" + tmsID + ")"})
	}
	switch a, bb, diff := parseDiffID(col.ID); {
	case baseLayers[col.ID]:
		d.Links = append(d.Links, link{b + "/layers/" + url.PathEscape(col.ID) + ".geojson", "enclosure", mimeGeoJSON, "the whole layer as one GeoJSON file"})
	case diff:
		d.Links = append(d.Links, link{b + "/scenarios/compare/diff.geojson?a=" + url.QueryEscape(a) + "&b=" + url.QueryEscape(bb), "enclosure", mimeGeoJSON, "the whole difference as one GeoJSON file"})
	case col.Scenario != "":
		d.Links = append(d.Links, link{b + "/scenarios/" + url.PathEscape(col.Scenario) + "/layers/" + url.PathEscape(col.Layer) + ".geojson", "enclosure", mimeGeoJSON, "the whole layer as one GeoJSON file"})
		pub := col.Published
		d.Published = &pub
	}
	for _, c := range servedCRS {
		d.CRS = append(d.CRS, crsURI(c))
	}
	if col.Extent != nil {
		d.Extent = &extent{}
		d.Extent.Spatial.Bbox = [][4]float64{*col.Extent}
		d.Extent.Spatial.CRS = uriCRS84
	}
	for _, p := range col.Properties {
		d.Properties = append(d.Properties, propertyDoc{p.Name, p.Type, p.Desc})
	}
	return d
}

// canReadUnpublished reports whether the caller may read unpublished scenarios.
func canReadUnpublished(c echo.Context) bool { return roleOf(c) >= RoleReviewer }

// handleCollections serves /collections.
func (s *Server) handleCollections(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	html, err := wantHTML(c)
	if err != nil {
		return err
	}
	cols, err := s.deps.Features.Collections(c.Request().Context(), canReadUnpublished(c))
	if err != nil {
		return err
	}
	b := s.baseURL(c)
	doc := struct {
		Links       []link          `json:"links"`
		Collections []collectionDoc `json:"collections"`
		CRS         []string        `json:"crs"`
	}{Links: []link{
		{b + "/collections?f=json", "self", mimeJSON, "the collections"},
		{b + "/collections?f=html", "alternate", mimeHTML, "the collections as HTML"},
	}, Collections: []collectionDoc{}}
	for _, cr := range servedCRS {
		doc.CRS = append(doc.CRS, crsURI(cr))
	}
	for i := range cols {
		doc.Collections = append(doc.Collections, s.collectionJSON(b, &cols[i]))
	}
	if html {
		return s.renderHTML(c, "collections", doc)
	}
	return c.JSON(http.StatusOK, doc)
}

// handleCollection serves /collections/{collectionId}.
func (s *Server) handleCollection(c echo.Context) error {
	if err := checkParams(c, "f"); err != nil {
		return err
	}
	html, err := wantHTML(c)
	if err != nil {
		return err
	}
	var col *planner.Collection
	if a, b, ok := parseDiffID(c.Param("collectionId")); ok {
		col, err = s.diffCollection(c, c.Param("collectionId"), a, b)
	} else {
		col, err = s.deps.Features.Collection(c.Request().Context(), c.Param("collectionId"), canReadUnpublished(c))
	}
	if err != nil {
		return err
	}
	doc := s.collectionJSON(s.baseURL(c), col)
	if html {
		return s.renderHTML(c, "collection", doc)
	}
	return c.JSON(http.StatusOK, doc)
}

// itemsLink returns the items URL of a page at offset with q's other parameters.
func itemsLink(base, collection string, q planner.ItemsQuery, offset int, f string) string {
	v := url.Values{}
	v.Set("f", f)
	v.Set("limit", strconv.Itoa(q.Limit))
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	if q.Bbox != nil {
		b := q.Bbox
		v.Set("bbox", strconv.FormatFloat(b[0], 'f', -1, 64)+","+strconv.FormatFloat(b[1], 'f', -1, 64)+","+
			strconv.FormatFloat(b[2], 'f', -1, 64)+","+strconv.FormatFloat(b[3], 'f', -1, 64))
		if q.BboxCRS != planner.CRS84 {
			v.Set("bbox-crs", crsURI(q.BboxCRS))
		}
	}
	if q.CRS != planner.CRS84 {
		v.Set("crs", crsURI(q.CRS))
	}
	return base + "/collections/" + url.PathEscape(collection) + "/items?" + v.Encode()
}

// handleItems serves /collections/{collectionId}/items: one page of
// features, written around the array the store encoded.
func (s *Server) handleItems(c echo.Context) error {
	html, err := wantHTML(c)
	if err != nil {
		return err
	}
	q, err := parseItemsQuery(c)
	if err != nil {
		return err
	}
	q.Collection = c.Param("collectionId")
	q.Unpublished = canReadUnpublished(c)
	var page *planner.FeaturePage
	if a, b, ok := parseDiffID(q.Collection); ok {
		page, err = s.diffItems(c, q, a, b)
	} else {
		page, err = s.deps.Features.Items(c.Request().Context(), q)
	}
	if err != nil {
		return err
	}
	b := s.baseURL(c)
	links := []link{
		{itemsLink(b, q.Collection, q, q.Offset, "json"), "self", mimeGeoJSON, "this page"},
		{itemsLink(b, q.Collection, q, q.Offset, "html"), "alternate", mimeHTML, "this page as HTML"},
		{b + "/collections/" + url.PathEscape(q.Collection) + "?f=json", "collection", mimeJSON, "the collection"},
	}
	// A page cut at the vertex limit (Truncated) holds fewer than Limit
	// features: the next page starts after the last one returned.
	more := page.Returned == q.Limit || page.Truncated
	if page.Matched >= 0 {
		more = q.Offset+page.Returned < page.Matched
	}
	if more {
		links = append(links, link{itemsLink(b, q.Collection, q, q.Offset+page.Returned, "json"), "next", mimeGeoJSON, "next page"})
	}
	if q.Offset > 0 {
		links = append(links, link{itemsLink(b, q.Collection, q, max(0, q.Offset-q.Limit), "json"), "prev", mimeGeoJSON, "previous page"})
	}
	c.Response().Header().Set("Content-Crs", "<"+crsURI(q.CRS)+">")
	if html {
		return s.renderItemsHTML(c, q, page, links)
	}

	head := make([]byte, 0, 1024)
	head = append(head, `{"type":"FeatureCollection"`...)
	if page.Matched >= 0 {
		head = append(head, `,"numberMatched":`...)
		head = strconv.AppendInt(head, int64(page.Matched), 10)
	}
	head = append(head, `,"numberReturned":`...)
	head = strconv.AppendInt(head, int64(page.Returned), 10)
	head = append(head, `,"timeStamp":"`...)
	head = time.Now().UTC().AppendFormat(head, time.RFC3339)
	head = append(head, `","links":`...)
	lj, err := json.Marshal(links)
	if err != nil {
		return err
	}
	head = append(head, lj...)
	head = append(head, `,"features":`...)
	const tail = "}\n"
	// The page is written as it came from the store, not copied again.
	return writeParts(c, mimeGeoJSON, head, page.Features, []byte(tail))
}

// writeParts sends a 200 response made of parts, with its Content-Length.
func writeParts(c echo.Context, ctype string, parts ...[]byte) error {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ctype)
	h.Set(echo.HeaderContentLength, strconv.Itoa(n))
	c.Response().WriteHeader(http.StatusOK)
	for _, p := range parts {
		if _, err := c.Response().Write(p); err != nil {
			return err
		}
	}
	return nil
}

// itemParams are the query parameters a single-feature request accepts.
var itemParams = []string{"f", "crs"}

// handleItem serves /collections/{collectionId}/items/{featureId}.
func (s *Server) handleItem(c echo.Context) error {
	if err := checkParams(c, itemParams...); err != nil {
		return err
	}
	html, err := wantHTML(c)
	if err != nil {
		return err
	}
	crs := planner.CRS84
	if v := c.QueryParam("crs"); v != "" {
		if crs, err = parseCRS("crs", v); err != nil {
			return err
		}
	}
	col, fid := c.Param("collectionId"), c.Param("featureId")
	if p, err := url.PathUnescape(fid); err == nil {
		fid = p
	}
	var f json.RawMessage
	if a, b, ok := parseDiffID(col); ok {
		f, err = s.diffItem(c, col, fid, a, b, crs)
	} else {
		f, err = s.deps.Features.Item(c.Request().Context(), col, fid, crs, canReadUnpublished(c))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Crs", "<"+crsURI(crs)+">")
	if html {
		return s.renderItemHTML(c, col, f)
	}
	b := s.baseURL(c)
	u := b + "/collections/" + url.PathEscape(col)
	self := u + "/items/" + url.PathEscape(fid)
	lj, err := json.Marshal([]link{
		{self + "?f=json", "self", mimeGeoJSON, "this feature"},
		{self + "?f=html", "alternate", mimeHTML, "this feature as HTML"},
		{u + "?f=json", "collection", mimeJSON, "the collection"},
	})
	if err != nil {
		return err
	}
	// Splice the links into the feature object the store encoded ("{…}").
	lj = append([]byte(`,"links":`), lj...)
	return writeParts(c, mimeGeoJSON, f[:len(f)-1], lj, []byte("}\n"))
}
