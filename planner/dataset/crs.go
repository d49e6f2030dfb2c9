package dataset

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/geo"
	"github.com/paulmach/orb"
)

// ParseCRS reads a CRS name: "EPSG:4549", "4549",
// "urn:ogc:def:crs:EPSG::4549" (as GDAL writes) or
// "urn:ogc:def:crs:OGC:1.3:CRS84" (lon/lat WGS84). It returns the EPSG code
// — EPSG:4490 or EPSG:4326 (lon/lat), or a CGCS2000 Gauss–Krüger zone
// (EPSG:4491–4554) — or an error naming the accepted ones; Xi'an 1980
// and Beijing 1954 codes are refused with the conversion they need
// (crs_datum.go).
func ParseCRS(name string) (int, error) {
	s := strings.TrimSpace(name)
	if strings.HasSuffix(strings.ToUpper(s), "CRS84") {
		return geo.EPSG4326, nil
	}
	if i := strings.LastIndexAny(s, ":"); i >= 0 {
		s = s[i+1:]
	}
	code, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("unsupported CRS %q: %s", name, acceptedCRS)
	}
	if err := otherDatum(code); err != nil {
		return 0, err
	}
	if _, err := checkEPSG(code); err != nil {
		return 0, fmt.Errorf("unsupported CRS %q: %s", name, acceptedCRS)
	}
	return code, nil
}

// acceptedCRS says which CRSs the reader takes.
const acceptedCRS = "use EPSG:4490 or EPSG:4326 (lon/lat), or a CGCS2000 Gauss–Krüger zone EPSG:4491–4554 (metres; e.g. EPSG:4549, or EPSG:4528 with the zone prefix)"

// checkEPSG returns code if the reader takes it, or says why not.
func checkEPSG(code int) (int, error) {
	if code == geo.EPSG4490 || code == geo.EPSG4326 || projected(code) {
		return code, nil
	}
	if err := otherDatum(code); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("unsupported CRS EPSG:%d: %s", code, acceptedCRS)
}

// crsName names an accepted CRS in messages.
func crsName(epsg int) string {
	switch epsg {
	case geo.EPSG4490:
		return "CGCS2000 lon/lat"
	case geo.EPSG4326:
		return "WGS84 lon/lat"
	}
	if z, ok := geo.CGCS2000Zone(epsg); ok {
		return z.String()
	}
	return fmt.Sprintf("EPSG:%d", epsg)
}

// projected reports whether epsg is one of the CGCS2000 Gauss–Krüger CRSs.
func projected(epsg int) bool {
	_, ok := geo.CGCS2000Zone(epsg)
	return ok
}

// China's extent as EPSG gives it for CGCS2000 (EPSG:4490, area of use
// 1067: onshore and offshore China), degrees. Every parkplan dataset lies
// in it; a point outside it is an error (swapped axes, wrong CRS, or a
// typo), not a place.
const (
	chinaMinLon, chinaMaxLon = 73.62, 134.77
	chinaMinLat, chinaMaxLat = 16.70, 53.56
)

func inChinaArea(lon, lat float64) bool {
	return lon >= chinaMinLon && lon <= chinaMaxLon && lat >= chinaMinLat && lat <= chinaMaxLat
}

// Plausible ranges of the Gauss–Krüger CRSs over China, metres: eastings
// within ±500 km of the central meridian, northings of latitudes 16–54°.
const (
	gkMinNorthing, gkMaxNorthing = 1.7e6, 6.0e6
	gkHalfWidth                  = 5e5
)

// transform converts positions from the input CRS to EPSG:4490 lon/lat
// and checks them. It returns "" and the converted point, or a message.
type transform struct {
	epsg     int  // input CRS
	declared bool // the CRS was declared (by the file or an option), not assumed
	gcj02    bool // lon/lat input is GCJ-02
	gk       geo.GaussKruger
	zone     geo.GKZone // the input CRS's zone when projected
}

func newTransform(epsg int, declared, gcj02 bool) (*transform, error) {
	t := &transform{epsg: epsg, declared: declared, gcj02: gcj02}
	if projected(epsg) {
		if gcj02 {
			return nil, fmt.Errorf("GCJ-02 applies to lon/lat input only, not to EPSG:%d", epsg)
		}
		z, err := geo.Zone(epsg)
		if err != nil {
			return nil, err
		}
		t.gk = z
		t.zone, _ = geo.CGCS2000Zone(epsg)
	}
	return t, nil
}

// point converts one input position (x, y) to lon/lat, or says what is
// wrong with it.
func (t *transform) point(x, y float64) (orb.Point, string) {
	if !finite(x) || !finite(y) {
		return orb.Point{}, fmt.Sprintf("coordinate [%v, %v] is not a finite number", x, y)
	}
	if projected(t.epsg) {
		return t.projectedPoint(x, y)
	}
	if math.Abs(x) > 180 || math.Abs(y) > 90 {
		if (math.Abs(x) > 1000 || math.Abs(y) > 1000) && t.declared {
			return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] looks projected (metres), but the declared CRS EPSG:%d is lon/lat: "+
				"declare EPSG:4549 or EPSG:4528 instead (or reproject with ogr2ogr -t_srs EPSG:4490)", num(x), num(y), t.epsg)
		}
		if math.Abs(x) > 1000 || math.Abs(y) > 1000 {
			return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] looks projected (metres), but no projected CRS is declared: "+
				"add a \"crs\" member naming EPSG:4549 or EPSG:4528 (as ogr2ogr writes it), or pass --crs EPSG:4549 / --crs EPSG:4528",
				num(x), num(y))
		}
		if math.Abs(y) > 90 && math.Abs(x) <= 90 {
			return orb.Point{}, fmt.Sprintf("coordinate [%s, %s]: latitude %s is beyond ±90°; longitude and latitude look swapped (GeoJSON positions are [lon, lat])",
				num(x), num(y), num(y))
		}
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] is out of range (longitude ±180°, latitude ±90°)", num(x), num(y))
	}
	if !inChinaArea(x, y) {
		if inChinaArea(y, x) {
			return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] lies outside China but [%s, %s] lies inside: longitude and latitude look swapped (GeoJSON positions are [lon, lat])",
				num(x), num(y), num(y), num(x))
		}
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] is outside the valid area of EPSG:%d for parkplan (China: lon %.2f–%.2f°, lat %.2f–%.2f°)",
			num(x), num(y), t.epsg, chinaMinLon, chinaMaxLon, chinaMinLat, chinaMaxLat)
	}
	p := orb.Point{x, y}
	if t.gcj02 {
		p = geo.GCJ02ToWGS84(p)
	}
	return p, ""
}

func (t *transform) projectedPoint(x, y float64) (orb.Point, string) {
	if math.Abs(x) <= 180 && math.Abs(y) <= 90 {
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] looks like lon/lat degrees, but the CRS is EPSG:%d (metres); remove the \"crs\" member or the --crs flag",
			num(x), num(y), t.epsg)
	}
	if msg := t.zonePrefix(x); msg != "" {
		return orb.Point{}, fmt.Sprintf("easting %s %s", num(x), msg)
	}
	if math.Abs(x-t.gk.FalseEasting) > gkHalfWidth || y < gkMinNorthing || y > gkMaxNorthing {
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] is outside the valid area of EPSG:%d (easting %s±%s m, northing %s–%s m)",
			num(x), num(y), t.epsg, num(t.gk.FalseEasting), num(gkHalfWidth), num(gkMinNorthing), num(gkMaxNorthing))
	}
	lon, lat := t.gk.Inverse(x, y)
	if !inChinaArea(lon, lat) {
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] (EPSG:%d) falls at lon %.5f, lat %.5f, outside China", num(x), num(y), t.epsg, lon, lat)
	}
	if edge := float64(t.zone.WidthDeg)/2 + gkZoneMarginDeg; math.Abs(lon-float64(t.zone.CentralLon)) > edge {
		near := geo.ZoneAt(lon)
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] falls at lon %.3f°, %.1f° from the central meridian %d°E of EPSG:%d (%s), beyond the zone's %g° width: the declared zone does not fit the data (data at that longitude is in the zone with central meridian %g°E, e.g. EPSG:%d)",
			num(x), num(y), lon, math.Abs(lon-float64(t.zone.CentralLon)), t.zone.CentralLon, t.epsg, t.zone, float64(t.zone.WidthDeg), near.CentralMeridian, noPrefixEPSG(near.CentralMeridian))
	}
	return orb.Point{lon, lat}, ""
}

// gkZoneMarginDeg is how far beyond its zone's edge a point may lie: a
// county near a zone border is often surveyed in one zone for the whole
// county, a degree or less across the edge.
const gkZoneMarginDeg = 1.0

// zonePrefix checks an easting's zone prefix against the declared zone:
// "" when it fits, else the rest of a message.
func (t *transform) zonePrefix(x float64) string {
	pz, hasPrefix := geo.PrefixZone(x)
	switch {
	case t.zone.Prefixed && !hasPrefix && x < 1e7:
		return fmt.Sprintf("has no zone prefix, but EPSG:%d (%s) puts the zone number %d before the easting: the data looks like EPSG:%d (%s)",
			t.epsg, t.zone, t.zone.Number, noPrefixEPSG(float64(t.zone.CentralLon)), crsName(noPrefixEPSG(float64(t.zone.CentralLon))))
	case t.zone.Prefixed && hasPrefix && pz.EPSG != t.epsg:
		return fmt.Sprintf("carries zone prefix %d (EPSG:%d, %s), but the declared CRS is EPSG:%d (%s): the .prj or crs disagrees with the data",
			pz.Number, pz.EPSG, pz, t.epsg, t.zone)
	case !t.zone.Prefixed && x > 1e7:
		if hasPrefix {
			return fmt.Sprintf("carries zone prefix %d: that is EPSG:%d (%s), not EPSG:%d (%s)", pz.Number, pz.EPSG, pz, t.epsg, t.zone)
		}
		return fmt.Sprintf("carries a zone prefix %d that no CGCS2000 zone has; EPSG:%d (%s) has none", int(x/1e6), t.epsg, t.zone)
	}
	return ""
}

// noPrefixEPSG returns the 3° CGCS2000 zone without prefix whose central
// meridian is cm (degrees), or 0.
func noPrefixEPSG(cm float64) int {
	z, _ := geo.CGCS2000ZoneOf(3, cm, 500000)
	return z.EPSG
}

// num formats a number in a message without exponent noise.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
