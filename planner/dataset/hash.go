package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// hashVersion changes whenever ContentHash's encoding changes.
const hashVersion = "parkplan-dataset-content-v1\n"

// ContentHash wraps h so that every record handed over is also hashed, and
// returns the wrapped handler with a function giving the hex SHA-256 of
// the records seen so far. Each record is hashed as its layer name and its
// JSON encoding (planner types, coordinates as read after CRS conversion;
// the implied default county and a town's county when it is that county
// left out, so data without counties keeps its hash),
// in the order ReadDir hands them over (the files' order): the same files
// give the same hash, whatever reader (GeoJSON, CSV, or another format
// feeding the same Handler) produced the records. Nil funcs of h are
// still hashed.
func ContentHash(h Handler) (Handler, func() string) {
	sum := sha256.New()
	sum.Write([]byte(hashVersion))
	enc := json.NewEncoder(sum)
	implied := map[string]bool{} // implied counties' codes
	county, town := hashed(sum, enc, "county", h.County), hashed(sum, enc, "town", func(any) error { return nil })
	return Handler{
			Industry: hashed(sum, enc, "industry", h.Industry),
			County: func(c planner.County) error {
				if !c.Implied {
					return county(c)
				}
				implied[c.Code] = true
				if h.County == nil {
					return nil
				}
				return h.County(c)
			},
			Town: func(t planner.Town) error {
				if err := town(planner.HashedTown(t, implied[t.County])); err != nil || h.Town == nil {
					return err
				}
				return h.Town(t)
			},
			Quota:      hashed(sum, enc, "quota", h.Quota),
			Parcel:     hashedParcel(sum, h.Parcel),
			Protected:  hashed(sum, enc, "protected", h.Protected),
			Enterprise: hashed(sum, enc, "enterprise", h.Enterprise),
		}, func() string {
			return hex.EncodeToString(sum.Sum(nil))
		}
}

// hashed returns a func that hashes a record of layer, then calls next.
func hashed[T any](sum hash.Hash, enc *json.Encoder, layer string, next func(T) error) func(T) error {
	return func(x T) error {
		sum.Write([]byte(layer + "\n"))
		if err := enc.Encode(x); err != nil {
			return planner.Errorf(planner.EINTERNAL, "dataset: hashing a %s record: %v", layer, err)
		}
		if next == nil {
			return nil
		}
		return next(x)
	}
}

// hashedParcel is hashed for parcels, the records a county has most of:
// the same bytes (appendParcelJSON), without encoding/json's reflection.
func hashedParcel(sum hash.Hash, next func(planner.Parcel) error) func(planner.Parcel) error {
	var buf []byte
	return func(x planner.Parcel) error {
		b, ok := appendParcelJSON(append(buf[:0], "parcel\n"...), x)
		if !ok { // a value encoding/json refuses (NaN, ±Inf): its error
			sum.Write([]byte("parcel\n"))
			if _, err := json.Marshal(x); err != nil {
				return planner.Errorf(planner.EINTERNAL, "dataset: hashing a parcel record: %v", err)
			}
			return planner.Errorf(planner.EINTERNAL, "dataset: hashing a parcel record: not encodable")
		}
		buf = b
		sum.Write(b)
		if next == nil {
			return nil
		}
		return next(x)
	}
}

// appendParcelJSON appends p as a json.Encoder writes it (field names
// as declared, strings escaped as for HTML, a newline at the end), and
// reports false for a float encoding/json refuses.
func appendParcelJSON(b []byte, p planner.Parcel) ([]byte, bool) {
	ok := true
	num := func(b []byte, f float64) []byte {
		var good bool
		b, good = appendJSONFloat(b, f)
		ok = ok && good
		return b
	}
	b = append(b, `{"ID":`...)
	b = appendJSONString(b, p.ID)
	b = append(b, `,"Town":`...)
	b = appendJSONString(b, p.Town)
	b = append(b, `,"Kind":`...)
	b = appendJSONString(b, string(p.Kind))
	b = append(b, `,"Name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"AreaMu":`...)
	b = num(b, p.AreaMu)
	b = append(b, `,"FAR":`...)
	b = num(b, p.FAR)
	b = append(b, `,"CostWan":`...)
	b = num(b, p.CostWan)
	b = append(b, `,"FloorM2":`...)
	b = num(b, p.FloorM2)
	b = append(b, `,"Firms":`...)
	b = strconv.AppendInt(b, int64(p.Firms), 10)
	b = append(b, `,"Specialty":`...)
	b = appendJSONString(b, p.Specialty)
	b = append(b, `,"OpenYear":`...)
	b = strconv.AppendInt(b, int64(p.OpenYear), 10)
	b = append(b, `,"Geometry":`...)
	if p.Geometry == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, poly := range p.Geometry {
			if i > 0 {
				b = append(b, ',')
			}
			if poly == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, ring := range poly {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONPoints(b, ring, num)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	return b, ok
}

// appendJSONPoints appends a ring as encoding/json writes an orb.Ring.
func appendJSONPoints(b []byte, r orb.Ring, num func([]byte, float64) []byte) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for k, pt := range r {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = num(b, pt[0])
		b = append(b, ',')
		b = num(b, pt[1])
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendJSONString appends s as json.Marshal writes it.
func appendJSONString(b []byte, s string) []byte {
	if plainJSON(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return append(b, JSONString(s)...)
}

// appendJSONFloat appends f as encoding/json writes a float64, or
// reports false for NaN and ±Inf, which it refuses.
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}
