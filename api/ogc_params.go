package api

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// Defaults of the items request.
const (
	itemsDefaultLimit = 100
)

// CRS URIs (OGC API – Features Part 2).
const (
	uriCRS84    = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	uriEPSG     = "http://www.opengis.net/def/crs/EPSG/0/"
	uriStorage  = uriEPSG + "4490"
	epsgPrefix  = "EPSG:"
	epsgURNPref = "urn:ogc:def:crs:EPSG::"
)

// servedCRS lists the CRSs every collection offers, CRS84 first.
var servedCRS = [...]planner.CRS{planner.CRS84, planner.EPSG4326, planner.EPSG4490, planner.EPSG4549}

// crsURI returns the OGC URI of c.
func crsURI(c planner.CRS) string {
	if c == planner.CRS84 {
		return uriCRS84
	}
	return uriEPSG + strconv.Itoa(int(c))
}

// parseCRS parses a CRS URI (or EPSG:n, urn:ogc:def:crs:EPSG::n) of a served CRS.
func parseCRS(param, v string) (planner.CRS, error) {
	s := strings.TrimSpace(v)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]") // safe CURIE form [EPSG:4326]
	switch s {
	case uriCRS84, "CRS84", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84":
		return planner.CRS84, nil
	}
	var code string
	for _, p := range []string{uriEPSG, epsgPrefix, epsgURNPref, "http://www.opengis.net/def/crs/EPSG/0/"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			code = rest
			break
		}
	}
	if n, err := strconv.Atoi(code); err == nil && n != 84 && planner.CRS(n).Valid() {
		return planner.CRS(n), nil
	}
	return 0, invalidParam(param, "unsupported CRS %q (use %s, %s4326, %s4490 or %s4549)", v, uriCRS84, uriEPSG, uriEPSG, uriEPSG)
}

// itemsParams are the query parameters an items request accepts.
var itemsParams = map[string]bool{"f": true, "limit": true, "offset": true, "bbox": true, "bbox-crs": true, "crs": true, "datetime": true}

// parseItemsQuery reads an items request's query parameters into q
// (collection and role are set by the caller).
func parseItemsQuery(c echo.Context) (planner.ItemsQuery, error) {
	q := planner.ItemsQuery{Limit: itemsDefaultLimit, CRS: planner.CRS84, BboxCRS: planner.CRS84}
	vals := c.QueryParams()
	for name := range vals {
		if !itemsParams[name] {
			return q, invalidParam(name, "unknown query parameter %q (known: f, limit, offset, bbox, bbox-crs, crs, datetime)", name)
		}
	}
	if v, ok := single(vals, "limit"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return q, invalidParam("limit", "limit %q must be a whole number ≥ 1", v)
		}
		// OGC API – Features: a limit above the maximum is served as the maximum.
		q.Limit = min(n, planner.ItemsMaxLimit)
	}
	if v, ok := single(vals, "offset"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return q, invalidParam("offset", "offset %q must be a whole number ≥ 0", v)
		}
		q.Offset = n
	}
	if v, ok := single(vals, "crs"); ok {
		crs, err := parseCRS("crs", v)
		if err != nil {
			return q, err
		}
		q.CRS = crs
	}
	if v, ok := single(vals, "bbox-crs"); ok {
		crs, err := parseCRS("bbox-crs", v)
		if err != nil {
			return q, err
		}
		q.BboxCRS = crs
		if _, ok := vals["bbox"]; !ok {
			return q, invalidParam("bbox-crs", "bbox-crs needs a bbox")
		}
	}
	if v, ok := single(vals, "bbox"); ok {
		b, err := parseBbox(v, q.BboxCRS)
		if err != nil {
			return q, err
		}
		q.Bbox = b
	}
	for name, vs := range vals {
		if len(vs) > 1 {
			return q, invalidParam(name, "query parameter %q is given %d times", name, len(vs))
		}
	}
	return q, nil
}

// single returns the first value of a query parameter.
func single(vals url.Values, name string) (string, bool) {
	vs, ok := vals[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// domainNote explains each CRS's Domain in a bbox error.
var domainNote = map[planner.CRS]string{
	planner.CRS84:    ": longitude, latitude in degrees",
	planner.EPSG4326: ": latitude, longitude in degrees",
	planner.EPSG4490: ": latitude, longitude in degrees",
	planner.EPSG4549: ": northing, easting in metres, about 92°–148° E and 0°–63° N",
}

// fmtNum formats a bound without exponent or trailing zeros.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// parseBbox parses "minx,miny,maxx,maxy" in crs's axis order and checks it.
func parseBbox(v string, crs planner.CRS) (*[4]float64, error) {
	parts := strings.Split(v, ",")
	if len(parts) == 6 {
		return nil, invalidParam("bbox", "bbox %q has 6 numbers; parkplan's layers are 2D, give 4", v)
	}
	if len(parts) != 4 {
		return nil, invalidParam("bbox", "bbox %q must be 4 comma-separated numbers: min x, min y, max x, max y", v)
	}
	var b [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, invalidParam("bbox", "bbox number %d (%q) is not a finite number", i+1, p)
		}
		b[i] = f
	}
	if b[0] > b[2] || b[1] > b[3] {
		return nil, invalidParam("bbox", "bbox %q: each minimum must not exceed its maximum", v)
	}
	if !crs.InDomain(b) {
		d := crs.Domain()
		return nil, invalidParam("bbox", "bbox %q is outside where %s is defined (%s…%s, %s…%s in its axis order%s)", v, crsURI(crs),
			fmtNum(d[0]), fmtNum(d[2]), fmtNum(d[1]), fmtNum(d[3]), domainNote[crs])
	}
	return &b, nil
}
