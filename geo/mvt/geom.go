package mvt

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"google.golang.org/protobuf/encoding/protowire"
)

// kind is the kind of geometry in the layer's feature buffers.
type kind byte

const (
	kindNone     kind = iota // nothing to write (nil, empty, a collection)
	kindPoints               // Layer.mpts
	kindLines                // Layer.lines
	kindPolygons             // Layer.polys
)

// Feature writes a feature of geometry g (lon/lat degrees, WGS84 as
// EPSG:3857 reads it; modified in place) with the properties set since
// the last call, and reports whether it was written: a feature is left
// out (and its properties dropped) when nothing of it is left inside the
// tile and its buffer once clipped and snapped to the grid (a polygon of
// no area, a line of one point, a nil or empty geometry). Polygon rings
// are oriented as MVT requires (exterior positive area on the grid, y
// down; holes negative); collections are not written.
func (l *Layer) Feature(g orb.Geometry) bool {
	l.mpts, l.lines, l.polys = l.mpts[:0], l.lines[:0], l.polys[:0]
	k := kindNone
	if g != nil {
		g = l.proj.project(g)
	}
	switch g := g.(type) { // the buffers take copies of the slice headers, never g's arrays
	case orb.Point:
		l.mpts, k = append(l.mpts, g), kindPoints
	case orb.MultiPoint:
		l.mpts, k = append(l.mpts, g...), kindPoints
	case orb.LineString:
		l.lines, k = append(l.lines, g), kindLines
	case orb.MultiLineString:
		l.lines, k = append(l.lines, g...), kindLines
	case orb.Ring:
		l.polys, k = append(l.polys, orb.Polygon{g}), kindPolygons
	case orb.Polygon:
		l.polys, k = append(l.polys, g), kindPolygons
	case orb.MultiPolygon:
		l.polys, k = append(l.polys, g...), kindPolygons
	}
	return l.write(k)
}

// write writes the feature in the layer's buffers (on the grid) with
// the pending properties: clipped to the tile grown by its buffer,
// snapped, encoded. Polygons are clipped ring by ring in the layer's
// scratch buffers (clipRing); points and lines, rare in tiles of areas,
// by orb's clip.
func (l *Layer) write(k kind) bool {
	defer func() { l.pend = l.pend[:0] }()
	l.geom = l.geom[:0]
	var typ uint64
	var cur grid
	switch k {
	case kindPoints:
		typ = typePoint
		in := l.mpts[:0] // the points inside, in place
		for _, p := range l.mpts {
			if l.clipTo.Contains(p) {
				in = append(in, p)
			}
		}
		l.geom, cur = appendPoints(l.geom, cur, in)
	case kindLines:
		typ = typeLineString
		ml := orb.MultiLineString(l.lines)
		if b := ml.Bound(); !l.clipTo.Contains(b.Min) || !l.clipTo.Contains(b.Max) {
			ml = clip.MultiLineString(l.clipTo, ml)
		}
		for _, ls := range ml {
			cur = l.appendLine(cur, ls)
		}
	case kindPolygons:
		typ = typePolygon
		for _, p := range l.polys {
			for i, r := range p {
				if l.crosses(r) {
					r = l.clipRing(r)
				}
				ok := len(r) > 0
				if ok {
					cur, ok = l.appendRing(cur, r, i == 0)
				}
				if !ok && i == 0 {
					break // no exterior: the polygon and its holes are left out
				}
			}
		}
	}
	if len(l.geom) == 0 {
		return false
	}
	l.tags = l.tags[:0]
	for i := range l.pend {
		k, v := l.tag(&l.pend[i])
		l.tags = append(l.tags, k, v)
	}
	b := l.buf[:0]
	b = protowire.AppendTag(b, featureTags, protowire.BytesType)
	b = appendPacked(b, l.tags)
	b = protowire.AppendTag(b, featureType, protowire.VarintType)
	b = protowire.AppendVarint(b, typ)
	b = protowire.AppendTag(b, featureGeometry, protowire.BytesType)
	b = appendPacked(b, l.geom)
	l.buf = b
	l.feats = protowire.AppendTag(l.feats, layerFeatures, protowire.BytesType)
	l.feats = protowire.AppendBytes(l.feats, b)
	l.n++
	return true
}

// crosses reports whether a point of r lies outside the clip box.
func (l *Layer) crosses(r []orb.Point) bool {
	for _, p := range r {
		if !l.clipTo.Contains(p) {
			return true
		}
	}
	return false
}

// clipRing clips ring r to the clip box, in the layer's scratch buffers
// (valid until the next call), by the algorithm of orb's clip.Ring
// (Sutherland–Hodgman, edge by edge: left, right, bottom, top), so a
// ring comes out with the same points as clip.Ring gives
// (TestClipRingAsOrb); nil when nothing is left.
func (l *Layer) clipRing(r []orb.Point) []orb.Point {
	if len(r) == 0 {
		return nil
	}
	box := l.clipTo
	closed := r[0] == r[len(r)-1]
	// Each edge reads the last output and writes the other buffer.
	in, a, b := r, l.clipA[:0], l.clipB[:0]
	defer func() { l.clipA, l.clipB = a[:0], b[:0] }() // keep grown buffers
	for edge := 1; edge <= 8; edge <<= 1 {
		out := a[:0]
		prev := in[len(in)-1]
		if !closed {
			prev = in[0]
		}
		prevInside := bitCode(box, prev)&edge == 0
		for _, p := range in {
			inside := bitCode(box, p)&edge == 0
			if inside != prevInside {
				out = append(out, intersect(box, edge, prev, p))
			}
			if inside {
				out = append(out, p)
			}
			prev, prevInside = p, inside
		}
		a = out
		if len(out) == 0 {
			return nil
		}
		in, a, b = out, b, a
	}
	if closed && in[0] != in[len(in)-1] {
		in = append(in, in[0])
		b = in // the last output is in b after an even number of swaps
	}
	return in
}

// bitCode is the side of box that p lies beyond: 1 west, 2 east, 4
// south (smaller y), 8 north; 0 inside (orb's clip does the same).
func bitCode(b orb.Bound, p orb.Point) int {
	code := 0
	if p[0] < b.Min[0] {
		code |= 1
	} else if p[0] > b.Max[0] {
		code |= 2
	}
	if p[1] < b.Min[1] {
		code |= 4
	} else if p[1] > b.Max[1] {
		code |= 8
	}
	return code
}

// intersect is where segment a–b crosses the edge of box (as orb's clip).
func intersect(box orb.Bound, edge int, a, b orb.Point) orb.Point {
	switch {
	case edge&8 != 0:
		return orb.Point{a[0] + (b[0]-a[0])*(box.Max[1]-a[1])/(b[1]-a[1]), box.Max[1]}
	case edge&4 != 0:
		return orb.Point{a[0] + (b[0]-a[0])*(box.Min[1]-a[1])/(b[1]-a[1]), box.Min[1]}
	case edge&2 != 0:
		return orb.Point{box.Max[0], a[1] + (b[1]-a[1])*(box.Max[0]-a[0])/(b[0]-a[0])}
	}
	return orb.Point{box.Min[0], a[1] + (b[1]-a[1])*(box.Min[0]-a[0])/(b[0]-a[0])}
}

// appendPoints appends one MoveTo of every point.
func appendPoints(cmds []uint64, cur grid, ps []orb.Point) ([]uint64, grid) {
	if len(ps) == 0 {
		return cmds, cur
	}
	cmds = append(cmds, command(cmdMoveTo, len(ps)))
	for _, p := range ps {
		cmds, cur = appendDelta(cmds, cur, snap(p))
	}
	return cmds, cur
}

// snapPath snaps ps to the grid into l.ring without repeated points.
func (l *Layer) snapPath(ps []orb.Point) []grid {
	r := l.ring[:0]
	for _, p := range ps {
		q := snap(p)
		if len(r) == 0 || r[len(r)-1] != q {
			r = append(r, q)
		}
	}
	l.ring = r
	return r
}

// appendLine appends a line of at least two grid points (MoveTo, LineTo).
func (l *Layer) appendLine(cur grid, ls orb.LineString) grid {
	r := l.snapPath(ls)
	if len(r) < 2 {
		return cur
	}
	l.geom = append(l.geom, command(cmdMoveTo, 1))
	l.geom, cur = appendDelta(l.geom, cur, r[0])
	l.geom = append(l.geom, command(cmdLineTo, len(r)-1))
	for _, p := range r[1:] {
		l.geom, cur = appendDelta(l.geom, cur, p)
	}
	return cur
}

// appendRing appends a polygon's ring if it keeps an area on the grid,
// an exterior with positive area, a hole with negative, and reports
// whether it did (a polygon whose exterior has none is left out with
// its holes).
func (l *Layer) appendRing(cur grid, ring []orb.Point, exterior bool) (grid, bool) {
	r := l.snapPath(ring)
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	var a int64 // twice the signed area (surveyor's formula)
	if len(r) >= 3 {
		for j := range r {
			q := r[(j+1)%len(r)]
			a += r[j].x*q.y - q.x*r[j].y
		}
	}
	if a == 0 {
		return cur, false
	}
	if exterior != (a > 0) {
		for j, k := 0, len(r)-1; j < k; j, k = j+1, k-1 {
			r[j], r[k] = r[k], r[j]
		}
	}
	l.geom = append(l.geom, command(cmdMoveTo, 1))
	l.geom, cur = appendDelta(l.geom, cur, r[0])
	l.geom = append(l.geom, command(cmdLineTo, len(r)-1))
	for _, q := range r[1:] {
		l.geom, cur = appendDelta(l.geom, cur, q)
	}
	l.geom = append(l.geom, command(cmdClosePath, 1))
	return cur, true
}
