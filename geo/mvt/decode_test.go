package mvt_test

import (
	"math"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// The tests read tiles back with this small reader of the MVT 2.1 schema
// (vector_tile.proto), written from the specification apart from the
// encoder; GDAL's MVT driver reads the served tiles in cmd/parkplan's
// tests.

// decodedLayer is one layer of a tile.
type decodedLayer struct {
	name     string
	version  uint64
	extent   uint64
	keys     []string
	values   []any // string, float64, int64, uint64 or bool
	features []decodedFeature
}

// decodedFeature is one feature: its geometry type, properties and
// geometry as rings/lines/points in grid units (absolute).
type decodedFeature struct {
	typ   uint64
	props map[string]any
	paths [][][2]int64 // polygon rings, lines, or one path of points
	tags  []uint64
}

// field reads one field of b: number, type, its varint or bytes value,
// and what is left.
func field(t *testing.T, b []byte) (protowire.Number, protowire.Type, uint64, []byte, []byte) {
	t.Helper()
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		t.Fatalf("bad tag: %v", protowire.ParseError(n))
	}
	b = b[n:]
	switch typ {
	case protowire.VarintType:
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			t.Fatalf("bad varint: %v", protowire.ParseError(n))
		}
		return num, typ, v, nil, b[n:]
	case protowire.Fixed64Type:
		v, n := protowire.ConsumeFixed64(b)
		if n < 0 {
			t.Fatalf("bad fixed64: %v", protowire.ParseError(n))
		}
		return num, typ, v, nil, b[n:]
	case protowire.BytesType:
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			t.Fatalf("bad bytes: %v", protowire.ParseError(n))
		}
		return num, typ, 0, v, b[n:]
	}
	t.Fatalf("unexpected wire type %d", typ)
	return 0, 0, 0, nil, nil
}

// packed reads a packed repeated varint field.
func packed(t *testing.T, b []byte) []uint64 {
	t.Helper()
	var out []uint64
	for len(b) > 0 {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			t.Fatalf("bad packed varint: %v", protowire.ParseError(n))
		}
		out = append(out, v)
		b = b[n:]
	}
	return out
}

// decodeTile reads every layer of an MVT tile.
func decodeTile(t *testing.T, tile []byte) []decodedLayer {
	t.Helper()
	var layers []decodedLayer
	for b := tile; len(b) > 0; {
		num, _, _, lb, rest := field(t, b)
		b = rest
		if num != 3 {
			t.Fatalf("tile field %d, want only layers (3)", num)
		}
		l := decodedLayer{extent: 4096}
		var feats [][]byte
		for len(lb) > 0 {
			num, _, v, bs, rest := field(t, lb)
			lb = rest
			switch num {
			case 1:
				l.name = string(bs)
			case 2:
				feats = append(feats, bs)
			case 3:
				l.keys = append(l.keys, string(bs))
			case 4:
				l.values = append(l.values, decodeValue(t, bs))
			case 5:
				l.extent = v
			case 15:
				l.version = v
			}
		}
		for _, fb := range feats {
			l.features = append(l.features, decodeFeature(t, &l, fb))
		}
		layers = append(layers, l)
	}
	return layers
}

func decodeValue(t *testing.T, b []byte) any {
	t.Helper()
	num, _, v, bs, rest := field(t, b)
	if len(rest) != 0 {
		t.Fatalf("value with more than one field")
	}
	switch num {
	case 1:
		return string(bs)
	case 3:
		return math.Float64frombits(v)
	case 4:
		return int64(v)
	case 5:
		return v
	case 6:
		return protowire.DecodeZigZag(v)
	case 7:
		return v != 0
	}
	t.Fatalf("value field %d", num)
	return nil
}

func decodeFeature(t *testing.T, l *decodedLayer, b []byte) decodedFeature {
	t.Helper()
	f := decodedFeature{props: map[string]any{}}
	var geom []uint64
	for len(b) > 0 {
		num, _, v, bs, rest := field(t, b)
		b = rest
		switch num {
		case 2:
			f.tags = packed(t, bs)
		case 3:
			f.typ = v
		case 4:
			geom = packed(t, bs)
		}
	}
	if len(f.tags)%2 != 0 {
		t.Fatalf("odd number of tags %v", f.tags)
	}
	for i := 0; i < len(f.tags); i += 2 {
		k, v := f.tags[i], f.tags[i+1]
		if k >= uint64(len(l.keys)) || v >= uint64(len(l.values)) {
			t.Fatalf("tag %d=%d outside keys %d / values %d", k, v, len(l.keys), len(l.values))
		}
		f.props[l.keys[k]] = l.values[v]
	}
	var x, y int64
	for i := 0; i < len(geom); {
		id, count := geom[i]&7, int(geom[i]>>3)
		i++
		switch id {
		case 1, 2:
			if id == 1 && (f.typ != 1 || len(f.paths) == 0) {
				f.paths = append(f.paths, nil)
			}
			for c := 0; c < count; c++ {
				x += protowire.DecodeZigZag(geom[i])
				y += protowire.DecodeZigZag(geom[i+1])
				i += 2
				f.paths[len(f.paths)-1] = append(f.paths[len(f.paths)-1], [2]int64{x, y})
			}
		case 7:
			if f.typ != 3 || count != 1 {
				t.Fatalf("ClosePath ×%d in a feature of type %d", count, f.typ)
			}
		default:
			t.Fatalf("command %d", id)
		}
	}
	return f
}

// area2 is twice the signed area of a ring by the surveyor's formula on
// the grid (y down): positive for an exterior ring in MVT.
func area2(r [][2]int64) int64 {
	var a int64
	for i := range r {
		q := r[(i+1)%len(r)]
		a += r[i][0]*q[1] - q[0]*r[i][1]
	}
	return a
}
