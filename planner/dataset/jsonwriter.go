package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/paulmach/orb"
)

// featureWriter writes one FeatureCollection, a feature a line, with a
// sticky error. Property order is the caller's call order.
type featureWriter struct {
	w     *bufio.Writer
	file  string
	n     int // features written
	props int // properties written in the current feature
	err   error
	sbuf  bytes.Buffer
	senc  *json.Encoder
}

func newFeatureWriter(w io.Writer, file string) *featureWriter {
	fw := &featureWriter{w: bufio.NewWriterSize(w, 1<<16), file: file}
	fw.senc = json.NewEncoder(&fw.sbuf)
	fw.senc.SetEscapeHTML(false)
	fw.raw(`{"type":"FeatureCollection","features":[`)
	return fw
}

func (fw *featureWriter) raw(s string) {
	if fw.err == nil {
		_, fw.err = fw.w.WriteString(s)
	}
}

func (fw *featureWriter) str(s string) {
	fw.sbuf.Reset()
	if err := fw.senc.Encode(s); err != nil && fw.err == nil {
		fw.err = err
	}
	b := bytes.TrimSuffix(fw.sbuf.Bytes(), []byte("\n"))
	if fw.err == nil {
		_, fw.err = fw.w.Write(b)
	}
}

// begin starts a feature with its id.
func (fw *featureWriter) begin(id string) {
	if fw.n > 0 {
		fw.raw(",")
	}
	fw.raw("\n{\"type\":\"Feature\",\"id\":")
	fw.str(id)
	fw.raw(`,"properties":{`)
	fw.props = 0
	fw.n++
}

func (fw *featureWriter) key(k string) {
	if fw.props > 0 {
		fw.raw(",")
	}
	fw.props++
	fw.str(k)
	fw.raw(":")
}

func (fw *featureWriter) propString(k, v string) { fw.key(k); fw.str(v) }

// propNullString writes v, or null when v is "".
func (fw *featureWriter) propNullString(k, v string) {
	fw.key(k)
	if v == "" {
		fw.raw("null")
		return
	}
	fw.str(v)
}

func (fw *featureWriter) propStrings(k string, vs []string) {
	fw.key(k)
	fw.raw("[")
	for i, v := range vs {
		if i > 0 {
			fw.raw(",")
		}
		fw.str(v)
	}
	fw.raw("]")
}

func (fw *featureWriter) propNumber(k string, v float64) {
	fw.key(k)
	fw.num(k, v, formatValue)
}

func (fw *featureWriter) propCoord(k string, v float64) {
	fw.key(k)
	fw.num(k, v, formatCoord)
}

func (fw *featureWriter) propInt(k string, v int) { fw.key(k); fw.raw(strconv.Itoa(v)) }

// propNullInt writes v, or null when v is 0.
func (fw *featureWriter) propNullInt(k string, v int) {
	fw.key(k)
	if v == 0 {
		fw.raw("null")
		return
	}
	fw.raw(strconv.Itoa(v))
}

func (fw *featureWriter) propBool(k string, v bool) { fw.key(k); fw.raw(strconv.FormatBool(v)) }

func (fw *featureWriter) num(k string, v float64, format func(float64) string) {
	if !finite(v) && fw.err == nil {
		fw.err = fmt.Errorf("%s: feature %d: %s is %v; only finite numbers can be written", fw.file, fw.n-1, k, v)
	}
	fw.raw(format(v))
}

func (fw *featureWriter) pos(p orb.Point) {
	fw.raw("[")
	fw.num("coordinates", p[0], formatCoord)
	fw.raw(",")
	fw.num("coordinates", p[1], formatCoord)
	fw.raw("]")
}

func (fw *featureWriter) ring(r orb.Ring) {
	fw.raw("[")
	for i, p := range r {
		if i > 0 {
			fw.raw(",")
		}
		fw.pos(p)
	}
	fw.raw("]")
}

// polygon writes p with its exterior ring counter-clockwise and its holes
// clockwise (RFC 7946 §3.1.6), without changing p.
func (fw *featureWriter) polygon(p orb.Polygon) {
	fw.raw("[")
	for i, r := range p {
		if i > 0 {
			fw.raw(",")
		}
		want := orb.CCW
		if i > 0 {
			want = orb.CW
		}
		if o := r.Orientation(); o != 0 && o != want {
			r = r.Clone()
			r.Reverse()
		}
		fw.ring(r)
	}
	fw.raw("]")
}

// endMultiPolygon closes the properties and writes mp as the geometry.
func (fw *featureWriter) endMultiPolygon(mp orb.MultiPolygon) {
	fw.raw(`},"geometry":{"type":"MultiPolygon","coordinates":[`)
	for i, p := range mp {
		if i > 0 {
			fw.raw(",")
		}
		fw.polygon(p)
	}
	fw.raw("]}}")
}

// endPoint closes the properties and writes p as the geometry.
func (fw *featureWriter) endPoint(p orb.Point) {
	fw.raw(`},"geometry":{"type":"Point","coordinates":`)
	fw.pos(p)
	fw.raw("}}")
}

// close ends the collection and flushes.
func (fw *featureWriter) close() error {
	fw.raw("\n]}\n")
	if fw.err == nil {
		fw.err = fw.w.Flush()
	}
	return fw.err
}
