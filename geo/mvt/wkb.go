package mvt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// WKB geometry type codes (OGC Simple Features, 2D).
const (
	wkbPoint              = 1
	wkbLineString         = 2
	wkbPolygon            = 3
	wkbMultiPoint         = 4
	wkbMultiLineString    = 5
	wkbMultiPolygon       = 6
	wkbGeometryCollection = 7
)

// wkbPointSize is the bytes of one 2D WKB point (two float64).
const wkbPointSize = 16

// ErrWKB is returned by FeatureWKB for bytes that are not a WKB geometry.
var ErrWKB = errors.New("mvt: malformed WKB")

// FeatureWKB is Feature for a geometry given as WKB (lon/lat degrees,
// either byte order, as PostGIS's ST_AsBinary writes it). A 2D point,
// line string, polygon or their multi forms is read straight onto the
// tile's grid into the layer's reused buffers, so a tile's features cost
// no allocation for their geometry; other WKB (collections, Z or M
// coordinates) is read by orb's wkb decoder and written as Feature
// writes it. The bytes are only read. An error (wrapping ErrWKB) names
// what is wrong and where; no feature is written then.
func (l *Layer) FeatureWKB(b []byte) (bool, error) {
	l.mpts, l.lines, l.polys = l.mpts[:0], l.lines[:0], l.polys[:0]
	l.pts, l.rings = l.pts[:0], l.rings[:0]
	r := wkbReader{b: b}
	k, err := l.readWKB(&r, 0)
	if err == errWKBOther {
		g, oerr := wkb.Unmarshal(b)
		if oerr != nil {
			l.pend = l.pend[:0]
			return false, fmt.Errorf("%w: %v", ErrWKB, oerr)
		}
		return l.Feature(g), nil
	}
	if err == nil && r.off != len(b) {
		err = fmt.Errorf("%d bytes after the geometry", len(b)-r.off)
	}
	if err != nil {
		l.pend = l.pend[:0]
		return false, fmt.Errorf("%w at byte %d of %d: %v", ErrWKB, r.off, len(b), err)
	}
	return l.write(k), nil
}

// errWKBOther marks WKB that readWKB leaves to orb's decoder.
var errWKBOther = errors.New("mvt: WKB for the general decoder")

// wkbReader reads a WKB byte string.
type wkbReader struct {
	b   []byte
	off int
	ord binary.ByteOrder
}

func (r *wkbReader) header() (uint32, error) {
	if len(r.b)-r.off < 5 {
		return 0, errors.New("geometry header cut short")
	}
	switch r.b[r.off] {
	case 0:
		r.ord = binary.BigEndian
	case 1:
		r.ord = binary.LittleEndian
	default:
		return 0, fmt.Errorf("byte order %d (want 0 or 1)", r.b[r.off])
	}
	t := r.ord.Uint32(r.b[r.off+1:])
	r.off += 5
	return t, nil
}

// count reads a count of items of size bytes each, checked against the
// bytes left (so a corrupt count cannot ask for a huge buffer).
func (r *wkbReader) count(size int) (int, error) {
	if len(r.b)-r.off < 4 {
		return 0, errors.New("count cut short")
	}
	n := int(r.ord.Uint32(r.b[r.off:]))
	r.off += 4
	if n > (len(r.b)-r.off)/size {
		return 0, fmt.Errorf("count %d exceeds the %d bytes left", n, len(r.b)-r.off)
	}
	return n, nil
}

// points reads n points, projected to the tile's grid, into the layer's
// point buffer and returns them (a slice capped at its length, so that
// clipping, which may append, never writes over the next points).
func (l *Layer) points(r *wkbReader, n int) []orb.Point {
	if cap(l.pts)-len(l.pts) < n {
		// Earlier slices keep the old array; only new points go to the new one.
		l.pts = make([]orb.Point, 0, max(2*cap(l.pts), n, 64))
	}
	start := len(l.pts)
	for i := 0; i < n; i++ {
		o := r.off + i*wkbPointSize
		q := orb.Point{math.Float64frombits(r.ord.Uint64(r.b[o:])), math.Float64frombits(r.ord.Uint64(r.b[o+8:]))}
		l.pts = append(l.pts, l.proj.point(q))
	}
	r.off += n * wkbPointSize
	return l.pts[start:len(l.pts):len(l.pts)]
}

// readWKB reads one geometry into the layer's feature buffers and
// returns its kind; depth > 0 reads a part of a multi geometry, which
// must be a point, line string or polygon.
func (l *Layer) readWKB(r *wkbReader, depth int) (kind, error) {
	t, err := r.header()
	if err != nil {
		return kindNone, err
	}
	switch t {
	case wkbPoint:
		if len(r.b)-r.off < wkbPointSize {
			return kindNone, errors.New("point cut short")
		}
		p := l.points(r, 1)[0]
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			return kindPoints, nil // POINT EMPTY
		}
		l.mpts = append(l.mpts, p)
		return kindPoints, nil
	case wkbLineString:
		n, err := r.count(wkbPointSize)
		if err != nil {
			return kindNone, err
		}
		l.lines = append(l.lines, l.points(r, n))
		return kindLines, nil
	case wkbPolygon:
		p, err := l.readPolygon(r)
		if err != nil {
			return kindNone, err
		}
		l.polys = append(l.polys, p)
		return kindPolygons, nil
	}
	if depth > 0 {
		if t > wkbGeometryCollection && t%1000 <= wkbGeometryCollection {
			return kindNone, errWKBOther // a Z or M part
		}
		return kindNone, fmt.Errorf("geometry type %d inside a multi geometry", t)
	}
	switch t {
	case wkbMultiPoint, wkbMultiLineString, wkbMultiPolygon:
		n, err := r.count(5)
		if err != nil {
			return kindNone, err
		}
		want := kind(t - wkbMultiPoint + uint32(kindPoints))
		for i := 0; i < n; i++ {
			k, err := l.readWKB(r, depth+1)
			if err != nil {
				return kindNone, err
			}
			if k != want {
				return kindNone, fmt.Errorf("part %d of a multi geometry of type %d is not of its kind", i, t)
			}
		}
		return want, nil
	}
	if t%1000 <= wkbGeometryCollection || t&0xe0000000 != 0 {
		return kindNone, errWKBOther // collections, Z/M (ISO codes), EWKB flags
	}
	return kindNone, fmt.Errorf("unknown geometry type %d", t)
}

// readPolygon reads a polygon's rings into the layer's buffers.
func (l *Layer) readPolygon(r *wkbReader) (orb.Polygon, error) {
	n, err := r.count(4)
	if err != nil {
		return nil, err
	}
	start := len(l.rings)
	for i := 0; i < n; i++ {
		m, err := r.count(wkbPointSize)
		if err != nil {
			return nil, err
		}
		l.rings = append(l.rings, orb.Ring(l.points(r, m)))
	}
	return orb.Polygon(l.rings[start:len(l.rings):len(l.rings)]), nil
}
