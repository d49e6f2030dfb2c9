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
// JSON encoding (planner types, coordinates as read after CRS conversion),
// in the order ReadDir hands them over (the files' order): the same files
// give the same hash, whatever reader (GeoJSON, CSV, or another format
// feeding the same Handler) produced the records. Nil funcs of h are
// still hashed.
func ContentHash(h Handler) (Handler, func() string) {
	sum := sha256.New()
	sum.Write([]byte(hashVersion))
	enc := json.NewEncoder(sum)
	return Handler{
			Industry:   hashed(sum, enc, "industry", h.Industry),
			Town:       hashed(sum, enc, "town", h.Town),
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
