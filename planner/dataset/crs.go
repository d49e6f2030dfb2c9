package dataset

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/geo"
	"github.com/paulmach/orb"
)

// CRSs the reader accepts, by EPSG code.
var knownCRS = map[int]string{
	geo.EPSG4490: "CGCS2000 lon/lat",
	geo.EPSG4326: "WGS84 lon/lat",
	geo.EPSG4549: "CGCS2000 3-degree Gauss–Krüger CM 120°E",
	geo.EPSG4528: "CGCS2000 3-degree Gauss–Krüger zone 40",
}

// ParseCRS reads a CRS name: "EPSG:4549", "4549",
// "urn:ogc:def:crs:EPSG::4549" (as GDAL writes) or
// "urn:ogc:def:crs:OGC:1.3:CRS84" (lon/lat WGS84). It returns the EPSG code
// or an error naming the accepted ones.
func ParseCRS(name string) (int, error) {
	s := strings.TrimSpace(name)
	if strings.HasSuffix(strings.ToUpper(s), "CRS84") {
		return geo.EPSG4326, nil
	}
	if i := strings.LastIndexAny(s, ":"); i >= 0 {
		s = s[i+1:]
	}
	code, err := strconv.Atoi(s)
	if err != nil || knownCRS[code] == "" {
		return 0, fmt.Errorf("unsupported CRS %q: use EPSG:4490 or EPSG:4326 (lon/lat), EPSG:4549 or EPSG:4528 (Gauss–Krüger metres)", name)
	}
	return code, nil
}

// projected reports whether epsg is one of the Gauss–Krüger CRSs.
func projected(epsg int) bool { return epsg == geo.EPSG4549 || epsg == geo.EPSG4528 }

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
	if t.epsg == geo.EPSG4549 && x > 1e7 {
		return orb.Point{}, fmt.Sprintf("easting %s has a zone prefix (e.g. 40…): that is EPSG:4528, not EPSG:4549", num(x))
	}
	if t.epsg == geo.EPSG4528 && x < 1e7 {
		return orb.Point{}, fmt.Sprintf("easting %s has no zone prefix: that is EPSG:4549, not EPSG:4528", num(x))
	}
	if math.Abs(x-t.gk.FalseEasting) > gkHalfWidth || y < gkMinNorthing || y > gkMaxNorthing {
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] is outside the valid area of EPSG:%d (easting %s±%s m, northing %s–%s m)",
			num(x), num(y), t.epsg, num(t.gk.FalseEasting), num(gkHalfWidth), num(gkMinNorthing), num(gkMaxNorthing))
	}
	lon, lat := t.gk.Inverse(x, y)
	if !inChinaArea(lon, lat) {
		return orb.Point{}, fmt.Sprintf("coordinate [%s, %s] (EPSG:%d) falls at lon %.5f, lat %.5f, outside China", num(x), num(y), t.epsg, lon, lat)
	}
	return orb.Point{lon, lat}, ""
}

// num formats a number in a message without exponent noise.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
