package data

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// EWKB geometry types (ISO WKB codes) and the flag that says an SRID
// follows the type, as PostGIS writes them.
const (
	ewkbPolygon      = 3
	ewkbMultiPolygon = 6
	ewkbSRIDFlag     = 0x20000000
)

// multiPolygonHex writes mp as hex EWKB (little-endian, SRID srid on the
// outer geometry only) straight into the one string it returns: the bytes
// of orb's ewkb.MarshalToHex, without its two intermediate buffers
// (TestEWKBHexAsGoGeom checks them against go-geom's encoder).
func multiPolygonHex(mp orb.MultiPolygon, srid uint32) string {
	n := 1 + 4 + 4 + 4
	for _, p := range mp {
		n += 1 + 4 + 4
		for _, r := range p {
			n += 4 + 16*len(r)
		}
	}
	var w hexWriter
	w.b.Grow(2 * n)
	w.byte(1) // little-endian
	w.uint32(ewkbMultiPolygon | ewkbSRIDFlag)
	w.uint32(srid)
	w.uint32(uint32(len(mp)))
	for _, p := range mp {
		w.byte(1)
		w.uint32(ewkbPolygon)
		w.uint32(uint32(len(p)))
		for _, r := range p {
			w.uint32(uint32(len(r)))
			for _, pt := range r {
				w.uint64(math.Float64bits(pt[0]))
				w.uint64(math.Float64bits(pt[1]))
			}
		}
	}
	return w.b.String()
}

// hexWriter writes little-endian values as lower-case hex digits
// (hexDigits, features_encode.go).
type hexWriter struct {
	b   strings.Builder
	tmp [8]byte
}

func (w *hexWriter) byte(c byte) {
	w.b.WriteByte(hexDigits[c>>4])
	w.b.WriteByte(hexDigits[c&0x0f])
}

func (w *hexWriter) uint32(v uint32) {
	binary.LittleEndian.PutUint32(w.tmp[:4], v)
	w.bytes(w.tmp[:4])
}

func (w *hexWriter) uint64(v uint64) {
	binary.LittleEndian.PutUint64(w.tmp[:8], v)
	w.bytes(w.tmp[:8])
}

func (w *hexWriter) bytes(p []byte) {
	var out [16]byte
	for i, c := range p {
		out[2*i], out[2*i+1] = hexDigits[c>>4], hexDigits[c&0x0f]
	}
	w.b.Write(out[:2*len(p)])
}
