package mvt

import (
	"hash/maphash"
	"math"

	"github.com/paulmach/orb"
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the MVT 2.1 protobuf schema (vector_tile.proto).
const (
	tileLayers = 3

	layerName     = 1
	layerFeatures = 2
	layerKeys     = 3
	layerValues   = 4
	layerExtent   = 5
	layerVersion  = 15

	featureTags     = 2
	featureType     = 3
	featureGeometry = 4

	valueString = 1
	valueDouble = 3
	valueUint   = 5
	valueSint   = 6
	valueBool   = 7

	typePoint      = 1
	typeLineString = 2
	typePolygon    = 3

	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7

	mvtVersion = 2
)

// Layer is one MVT layer being written. Add a feature by setting its
// properties (String, Double, Int, Bool) and then calling Feature with
// its geometry; Bytes returns the tile. Keys and values enter the layer
// only with a feature that is written. A Layer is not safe for
// concurrent use.
type Layer struct {
	name   string
	tile   Tile
	proj   projector
	clipTo orb.Bound // the tile grown by its buffer, grid units

	names  []string   // property names by Key
	keyIdx []int32    // MVT key index by Key; -1 until first used
	keys   []string   // the layer's keys, in first-use order
	values []byte     // the layer's Value messages, each as field 4
	vals   valueTable // the index of each value (values.go)
	nvals  uint32
	feats  []byte // the layer's Feature messages, each as field 2
	n      int

	pend []pending // the next feature's properties
	tags []uint64  // scratch: the feature's key/value indices
	geom []uint64  // scratch: the feature's geometry commands
	ring []grid    // scratch: one ring or line on the grid
	buf  []byte    // scratch: one feature or value

	// The next feature's geometry on the grid, in reused buffers
	// (geom.go): its points, or its lines, or its polygons; pts holds
	// the points FeatureWKB read, rings the rings of polys.
	mpts  []orb.Point
	lines []orb.LineString
	polys []orb.Polygon
	pts   []orb.Point
	rings []orb.Ring
	clipA []orb.Point // scratch: a ring being clipped
	clipB []orb.Point
}

// grid is a point on the tile's integer grid.
type grid struct{ x, y int64 }

// NewLayer starts a layer named name on tile t (Extent > 0, Buffer ≥ 0;
// panics otherwise, a programmer's error).
func NewLayer(name string, t Tile) *Layer {
	l := &Layer{vals: valueTable{seed: maphash.MakeSeed()}}
	l.Reset(name, t)
	return l
}

// Reset empties the layer and starts it again as NewLayer(name, t) would,
// keeping its buffers and tables for reuse (a tile server pools layers).
// Keys registered before are forgotten.
func (l *Layer) Reset(name string, t Tile) {
	if t.Extent <= 0 || t.Buffer < 0 {
		panic("mvt: tile extent must be positive and buffer not negative")
	}
	b := float64(t.Buffer)
	e := float64(t.Extent)
	l.name, l.tile, l.proj = name, t, t.projector()
	l.clipTo = orb.Bound{Min: orb.Point{-b, -b}, Max: orb.Point{e + b, e + b}}
	l.names, l.keyIdx, l.keys = l.names[:0], l.keyIdx[:0], l.keys[:0]
	l.values, l.feats, l.pend = l.values[:0], l.feats[:0], l.pend[:0]
	l.vals.reset()
	l.nvals, l.n = 0, 0
}

// Key is a property name registered with Layer.Key.
type Key int

// Key registers the property name and returns its handle for String,
// Double, Int and Bool. The name enters the layer's keys when a feature
// first uses it (a key no written feature has is left out).
func (l *Layer) Key(name string) Key {
	l.names = append(l.names, name)
	l.keyIdx = append(l.keyIdx, -1)
	return Key(len(l.names) - 1)
}

// Len returns the number of features written so far.
func (l *Layer) Len() int { return l.n }

// key returns the MVT index of key k, adding it on first use.
func (l *Layer) key(k Key) uint32 {
	if i := l.keyIdx[k]; i >= 0 {
		return uint32(i)
	}
	i := int32(len(l.keys))
	l.keys = append(l.keys, l.names[k])
	l.keyIdx[k] = i
	return uint32(i)
}

// pending is a property value of the next feature, entered in the
// layer's values only once the feature is written.
type pending struct {
	key  Key
	kind byte   // 's' string, 'd' double, 'i' integer, 'b' boolean
	s    []byte // the string (the caller's bytes)
	bits uint64 // the double's bits, the integer, or 1 for true
}

// String sets property k of the next feature to the string v (UTF-8; v
// is read when Feature is called, so it must not change before).
func (l *Layer) String(k Key, v []byte) {
	l.pend = append(l.pend, pending{key: k, kind: 's', s: v})
}

// Double sets property k of the next feature to the 64-bit float v.
func (l *Layer) Double(k Key, v float64) {
	l.pend = append(l.pend, pending{key: k, kind: 'd', bits: math.Float64bits(v)})
}

// Int sets property k of the next feature to the integer v (MVT's uint
// value when v ≥ 0, its sint value otherwise, as PostGIS writes them).
func (l *Layer) Int(k Key, v int64) {
	l.pend = append(l.pend, pending{key: k, kind: 'i', bits: uint64(v)})
}

// Bool sets property k of the next feature to v.
func (l *Layer) Bool(k Key, v bool) {
	var b uint64
	if v {
		b = 1
	}
	l.pend = append(l.pend, pending{key: k, kind: 'b', bits: b})
}

// tag returns the key and value indices of p, entering its key and value
// in the layer on first use (values shared by every feature that has them).
func (l *Layer) tag(p *pending) (uint64, uint64) {
	ki := l.key(p.key)
	vi, added := l.vals.find(p.kind, p.bits, p.s, l.nvals)
	if added {
		l.nvals++
		b := l.buf[:0]
		switch p.kind {
		case 's':
			b = protowire.AppendTag(b, valueString, protowire.BytesType)
			b = protowire.AppendBytes(b, p.s)
		case 'd':
			b = protowire.AppendTag(b, valueDouble, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, p.bits)
		case 'i':
			if v := int64(p.bits); v < 0 {
				b = protowire.AppendTag(b, valueSint, protowire.VarintType)
				b = protowire.AppendVarint(b, protowire.EncodeZigZag(v))
			} else {
				b = protowire.AppendTag(b, valueUint, protowire.VarintType)
				b = protowire.AppendVarint(b, p.bits)
			}
		case 'b':
			b = protowire.AppendTag(b, valueBool, protowire.VarintType)
			b = protowire.AppendVarint(b, p.bits)
		}
		l.buf = b
		l.values = protowire.AppendTag(l.values, layerValues, protowire.BytesType)
		l.values = protowire.AppendBytes(l.values, b)
	}
	return uint64(ki), uint64(vi)
}

// Bytes returns the tile: one layer (version 2, the layer's name and
// extent) holding the features written; nil when there are none.
func (l *Layer) Bytes() []byte {
	if l.n == 0 {
		return nil
	}
	// One allocation of the exact size: the tile's one field holds the layer.
	var hdr []byte
	hdr = protowire.AppendTag(hdr, layerVersion, protowire.VarintType)
	hdr = protowire.AppendVarint(hdr, mvtVersion)
	hdr = protowire.AppendTag(hdr, layerName, protowire.BytesType)
	hdr = protowire.AppendString(hdr, l.name)
	n := len(hdr) + len(l.feats) + len(l.values) +
		protowire.SizeTag(layerExtent) + protowire.SizeVarint(uint64(l.tile.Extent))
	for _, k := range l.keys {
		n += protowire.SizeTag(layerKeys) + protowire.SizeBytes(len(k))
	}
	out := make([]byte, 0, protowire.SizeTag(tileLayers)+protowire.SizeBytes(n))
	out = protowire.AppendTag(out, tileLayers, protowire.BytesType)
	out = protowire.AppendVarint(out, uint64(n))
	out = append(out, hdr...)
	out = append(out, l.feats...)
	for _, k := range l.keys {
		out = protowire.AppendTag(out, layerKeys, protowire.BytesType)
		out = protowire.AppendString(out, k)
	}
	out = append(out, l.values...)
	out = protowire.AppendTag(out, layerExtent, protowire.VarintType)
	return protowire.AppendVarint(out, uint64(l.tile.Extent))
}

// appendPacked appends vs as a packed repeated varint field's payload
// (tags and geometry commands: mostly one-byte varints, written inline).
func appendPacked(b []byte, vs []uint64) []byte {
	n := 0
	for _, v := range vs {
		if v < 0x80 {
			n++
		} else {
			n += protowire.SizeVarint(v)
		}
	}
	b = protowire.AppendVarint(b, uint64(n))
	for _, v := range vs {
		if v < 0x80 {
			b = append(b, byte(v))
		} else {
			b = protowire.AppendVarint(b, v)
		}
	}
	return b
}

// command is an MVT command integer: id and repeat count.
func command(id, count int) uint64 { return uint64(id&0x7) | uint64(count)<<3 }

// snap rounds a grid point to the integer grid.
func snap(p orb.Point) grid { return grid{int64(math.Round(p[0])), int64(math.Round(p[1]))} }

// appendDelta appends the zigzag deltas from cur to p and returns p.
func appendDelta(cmds []uint64, cur, p grid) ([]uint64, grid) {
	return append(cmds, protowire.EncodeZigZag(p.x-cur.x), protowire.EncodeZigZag(p.y-cur.y)), p
}
