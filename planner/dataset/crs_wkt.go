package dataset

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/parkplan/parkplan/geo"
)

// wktNode is one keyword of a WKT string (WKT1, ESRI's .prj dialect or
// WKT2 as GDAL prints it) with its quoted strings, numbers and children.
type wktNode struct {
	key  string
	strs []string
	nums []float64
	kids []*wktNode
}

// child returns the first child whose keyword is one of keys.
func (n *wktNode) child(keys ...string) *wktNode {
	for _, k := range n.kids {
		for _, key := range keys {
			if strings.EqualFold(k.key, key) {
				return k
			}
		}
	}
	return nil
}

func (n *wktNode) name() string {
	if n == nil || len(n.strs) == 0 {
		return ""
	}
	return n.strs[0]
}

// parseWKT parses a WKT string into its root node.
func parseWKT(s string) (*wktNode, error) {
	p := &wktParser{s: s}
	n, err := p.node()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("WKT has text after the end at byte %d", p.i)
	}
	return n, nil
}

type wktParser struct {
	s string
	i int
}

func (p *wktParser) space() {
	for p.i < len(p.s) && unicode.IsSpace(rune(p.s[p.i])) {
		p.i++
	}
}

func (p *wktParser) node() (*wktNode, error) {
	p.space()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || unicode.IsLetter(rune(p.s[p.i])) || unicode.IsDigit(rune(p.s[p.i]))) {
		p.i++
	}
	n := &wktNode{key: p.s[start:p.i]}
	if n.key == "" {
		return nil, fmt.Errorf("WKT: want a keyword at byte %d", p.i)
	}
	p.space()
	if p.i >= len(p.s) || (p.s[p.i] != '[' && p.s[p.i] != '(') {
		return n, nil // a bare keyword such as north or east
	}
	p.i++
	for {
		p.space()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("WKT: unterminated %s", n.key)
		}
		switch c := p.s[p.i]; {
		case c == '"':
			end := strings.IndexByte(p.s[p.i+1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("WKT: unterminated string at byte %d", p.i)
			}
			n.strs = append(n.strs, p.s[p.i+1:p.i+1+end])
			p.i += end + 2
		case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
			start := p.i
			for p.i < len(p.s) && strings.IndexByte("+-.0123456789eE", p.s[p.i]) >= 0 {
				p.i++
			}
			v, err := strconv.ParseFloat(p.s[start:p.i], 64)
			if err != nil {
				return nil, fmt.Errorf("WKT: bad number %q", p.s[start:p.i])
			}
			n.nums = append(n.nums, v)
		default:
			k, err := p.node()
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && (p.s[p.i] == ']' || p.s[p.i] == ')') {
			p.i++
			return n, nil
		}
		return nil, fmt.Errorf("WKT: want ',' or ']' in %s at byte %d", n.key, p.i)
	}
}

// squash lower-cases s and keeps only letters and digits, so that
// "Central_Meridian", "central meridian" and "CentralMeridian" compare
// equal.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CRSFromWKT returns the EPSG code parkplan reads a layer in, from the
// layer's CRS as WKT (a Shapefile's .prj, or the WKT ogrinfo prints for
// any layer): an EPSG identifier when the WKT carries one, otherwise the
// datum, projection method, central meridian and false easting — the
// form an ESRI .prj takes. Errors name what is unsupported; Xi'an 1980
// and Beijing 1954 wrap ErrOtherDatum with the conversion they need.
func CRSFromWKT(wkt string) (int, error) {
	root, err := parseWKT(strings.TrimSpace(wkt))
	if err != nil {
		return 0, err
	}
	if strings.EqualFold(root.key, "BOUNDCRS") { // GDAL's form for a .prj with TOWGS84
		if src := root.child("SOURCECRS"); src != nil && len(src.kids) > 0 {
			root = src.kids[0]
		}
	}
	if id := root.child("ID", "AUTHORITY"); id != nil && strings.EqualFold(id.name(), "EPSG") {
		code := 0
		if len(id.nums) > 0 {
			code = int(id.nums[0])
		} else if len(id.strs) > 1 {
			code, _ = strconv.Atoi(id.strs[1])
		}
		if code > 0 {
			return checkEPSG(code)
		}
	}
	datum := wktDatum(root)
	switch strings.ToUpper(root.key) {
	case "GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS":
		switch datum {
		case datumCGCS2000:
			return geo.EPSG4490, nil
		case datumWGS84:
			return geo.EPSG4326, nil
		}
		return 0, datumRefusal(datum, root.name(), geo.EPSG4490)
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
	default:
		return 0, fmt.Errorf("unsupported CRS %q (%s): %s", root.name(), root.key, acceptedCRS)
	}
	method := ""
	if m := root.child("PROJECTION", "METHOD"); m != nil {
		method = squash(m.name())
	} else if conv := root.child("CONVERSION"); conv != nil {
		method = squash(conv.child("METHOD").name())
	}
	if method != "transversemercator" && method != "gausskruger" {
		return 0, fmt.Errorf("unsupported CRS %q: its projection is %q, not Gauss–Krüger (transverse Mercator); %s", root.name(), method, acceptedCRS)
	}
	par := wktParams(root)
	cm, fe := par["centralmeridian"], par["falseeasting"]
	if par["scalefactor"] != 1 || par["falsenorthing"] != 0 || par["latitudeoforigin"] != 0 {
		return 0, fmt.Errorf("unsupported CRS %q: a Gauss–Krüger zone has scale factor 1 and false northing 0 at the equator; this one has scale %v, false northing %v, latitude of origin %v",
			root.name(), par["scalefactor"], par["falsenorthing"], par["latitudeoforigin"])
	}
	width := 3
	if n := squash(root.name()); !strings.Contains(n, "3degree") && !strings.Contains(n, "3度") && math.Mod(cm+3, 6) == 0 {
		// "Gauss-Kruger CM 117E": EPSG names 6° zones without "3-degree";
		// a 6° zone's meridian is also a 3° zone's, and the projection is
		// the same: only the zone-edge check is wider
		width = 6
	}
	prefixed := fe >= 1e7
	if prefixed {
		pz, ok := geo.PrefixZone(fe)
		if !ok || float64(pz.CentralLon) != cm {
			return 0, fmt.Errorf("unsupported CRS %q: false easting %s m names no zone with central meridian %s°E", root.name(), num(fe), num(cm))
		}
		width = pz.WidthDeg
	}
	if datum != datumCGCS2000 {
		n := 0
		if prefixed {
			n = int(fe / 1e6)
		}
		return 0, datumRefusal(datum, root.name(), cgcsEquivalent(width, int(cm), prefixed, n))
	}
	if code, ok := zoneOf(width, cm, fe); ok {
		return code, nil
	}
	if code, ok := zoneOf(9-width, cm, fe); ok { // the other width has that meridian
		return code, nil
	}
	return 0, fmt.Errorf("unsupported CRS %q: no CGCS2000 Gauss–Krüger zone has central meridian %s°E and false easting %s m; %s", root.name(), num(cm), num(fe), acceptedCRS)
}

// Datums told apart by name.
const (
	datumCGCS2000 = "CGCS2000"
	datumWGS84    = "WGS84"
	datumXian     = "Xi'an 1980"
	datumBeijing  = "Beijing 1954"
	datumNewBJ    = "New Beijing"
)

// wktDatum names the datum of a CRS from its DATUM node ("" if unknown).
func wktDatum(root *wktNode) string {
	var find func(n *wktNode) string
	find = func(n *wktNode) string {
		if strings.EqualFold(n.key, "DATUM") || strings.EqualFold(n.key, "ENSEMBLE") {
			return n.name()
		}
		for _, k := range n.kids {
			if d := find(k); d != "" {
				return d
			}
		}
		return ""
	}
	d := squash(find(root))
	switch {
	case strings.Contains(d, "china2000") || strings.Contains(d, "cgcs2000") || strings.Contains(d, "chinageodeticcoordinatesystem2000"):
		return datumCGCS2000
	case strings.Contains(d, "wgs84") || strings.Contains(d, "wgs1984") || strings.Contains(d, "worldgeodeticsystem1984"):
		return datumWGS84
	case strings.Contains(d, "xian"):
		return datumXian
	case strings.Contains(d, "newbeijing"):
		return datumNewBJ
	case strings.Contains(d, "beijing"):
		return datumBeijing
	}
	return d
}

// datumRefusal explains why data on datum cannot be read.
func datumRefusal(datum, crs string, target int) error {
	switch datum {
	case datumXian, datumBeijing, datumNewBJ:
		return datumError(datum, fmt.Sprintf("%q (%s datum)", crs, datum), target)
	}
	return fmt.Errorf("unsupported CRS %q (datum %q): %s", crs, datum, acceptedCRS)
}

// wktParams returns a projected CRS's parameters by squashed name, WKT1
// and WKT2 names folded together.
func wktParams(root *wktNode) map[string]float64 {
	par := map[string]float64{"scalefactor": 1}
	alias := map[string]string{
		"longitudeofnaturalorigin":   "centralmeridian",
		"longitudeoforigin":          "centralmeridian",
		"latitudeofnaturalorigin":    "latitudeoforigin",
		"scalefactoratnaturalorigin": "scalefactor",
	}
	var walk func(n *wktNode)
	walk = func(n *wktNode) {
		for _, k := range n.kids {
			if strings.EqualFold(k.key, "PARAMETER") && len(k.nums) > 0 {
				name := squash(k.name())
				if a, ok := alias[name]; ok {
					name = a
				}
				par[name] = k.nums[0]
			}
			if strings.EqualFold(k.key, "CONVERSION") {
				walk(k)
			}
		}
	}
	walk(root)
	return par
}
