package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"

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
			Parcel:     hashed(sum, enc, "parcel", h.Parcel),
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
