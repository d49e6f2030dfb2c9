package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parkplan/parkplan/geo"
)

// rawFeature is one GeoJSON feature as read, before validation. Raw
// members keep the bytes as they are in the file (for the UTF-8 check).
type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"` // RFC 7946 feature id; GDAL moves an "id" property here
	Properties json.RawMessage `json:"properties"`
	Geometry   *rawGeometry    `json:"geometry"` // nil when null or absent
	// fields, when its names are set, are the properties a converter
	// wrote (mapping_convert.go), read instead of Properties.
	fields fieldValues
}

// crsMember is the non-RFC "crs" member GDAL writes.
type crsMember struct {
	Type       string `json:"type"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

// collectionReader walks one FeatureCollection token by token and hands
// each feature to a callback, so only one feature is in memory at a time.
type collectionReader struct {
	file string
	opt  Options
	errs *collector
}

// read reads r and calls fn(index, feature, transform) for each feature
// whose raw JSON is well formed. Faults of the file as a whole (empty,
// truncated, not a FeatureCollection, bad JSON) are reported to the
// collector and end the read; fn's own error ends it and is returned.
func (cr *collectionReader) read(r io.Reader, fn func(i int, f *rawFeature, tr *transform) error) error {
	if ff, ok := r.(featureFeed); ok { // mapped sources, already decoded (sources.go)
		return ff.feed(cr, fn)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM)) // RFC 8259 §8.1 lets a parser ignore it; Windows tools write it
	}
	if _, err := br.Peek(1); err == io.EOF {
		cr.errs.add(cr.file, "file is empty; it must hold a GeoJSON FeatureCollection")
		return nil
	}
	dec := json.NewDecoder(br)
	fail := func(err error, inside string) error {
		cr.errs.add(cr.file, "%s", jsonFault(err, inside, dec.InputOffset()))
		return nil
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err, "the start of the file")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		cr.errs.add(cr.file, "is not a GeoJSON object (it starts with %v); it must hold a FeatureCollection", tok)
		return nil
	}
	tr, err := cr.transform("", false)
	if err != nil {
		cr.errs.add(cr.file, "%v", err)
		return nil
	}
	var sawType, sawFeatures bool
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err, "the top-level object")
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			var t string
			if err := dec.Decode(&t); err != nil {
				return fail(err, `the "type" member`)
			}
			if t != "FeatureCollection" {
				cr.errs.add(cr.file+": type", "is %q; the file must hold a FeatureCollection", clip(t))
				return nil
			}
			sawType = true
		case "crs":
			var c crsMember
			if err := dec.Decode(&c); err != nil {
				return fail(err, `the "crs" member`)
			}
			if sawFeatures {
				// streaming: features were already read as lon/lat
				if epsg, err := ParseCRS(c.Properties.Name); err != nil || projected(epsg) {
					cr.errs.add(cr.file+": crs", "the \"crs\" member (%s) comes after the features; put it before \"features\" (as GDAL does) or pass --crs", c.Properties.Name)
					return nil
				}
				continue
			}
			if tr, err = cr.transform(c.Properties.Name, true); err != nil {
				cr.errs.add(cr.file+": crs", "%v", err)
				return nil
			}
		case "features":
			sawFeatures = true
			tok, err := dec.Token()
			if err != nil {
				return fail(err, `the "features" member`)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				cr.errs.add(cr.file+": features", "is not an array")
				return nil
			}
			for i := 0; dec.More(); i++ {
				var f rawFeature
				if err := dec.Decode(&f); err != nil {
					return fail(err, fmt.Sprintf("feature %d", i))
				}
				if err := fn(i, &f, tr); err != nil {
					return err
				}
				if cr.errs.atCap() {
					return nil
				}
			}
			if _, err := dec.Token(); err != nil {
				return fail(err, `the "features" array`)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err, fmt.Sprintf("the %q member", clip(key)))
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err, "the top-level object")
	}
	if !sawType {
		cr.errs.add(cr.file+": type", "missing; the file must hold a FeatureCollection")
	}
	if !sawFeatures {
		cr.errs.add(cr.file+": features", "missing; a FeatureCollection needs a \"features\" array")
	}
	if _, err := dec.Token(); err != io.EOF {
		cr.errs.add(cr.file, "has more data after the FeatureCollection (at byte %d)", dec.InputOffset())
	}
	return nil
}

// transform builds the coordinate transform from the file's crs member
// (fileCRS, "" if none) and the options' CRS. An option and a declaration
// that disagree are an error; neither means lon/lat EPSG:4490.
func (cr *collectionReader) transform(fileCRS string, fromFile bool) (*transform, error) {
	epsg, declared := geo.EPSG4490, false
	if fromFile {
		code, err := ParseCRS(fileCRS)
		if err != nil {
			return nil, err
		}
		epsg, declared = code, true
	}
	if cr.opt.CRS != "" {
		code, err := ParseCRS(cr.opt.CRS)
		if err != nil {
			return nil, err
		}
		if declared && code != epsg && !(geographic(code) && geographic(epsg)) {
			return nil, fmt.Errorf("the file declares EPSG:%d but --crs says EPSG:%d", epsg, code)
		}
		epsg, declared = code, true
	}
	return newTransform(epsg, declared, cr.opt.FromGCJ02)
}

func geographic(epsg int) bool { return epsg == geo.EPSG4490 || epsg == geo.EPSG4326 }

// jsonFault explains a JSON decoding error in a user's terms.
func jsonFault(err error, inside string, offset int64) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Sprintf("truncated JSON: the file ends inside %s (after byte %d)", inside, offset)
	case errors.As(err, &se):
		msg := fmt.Sprintf("invalid JSON in %s at byte %d: %v", inside, se.Offset, se)
		if strings.Contains(se.Error(), "'N'") || strings.Contains(se.Error(), "'n'") || strings.Contains(se.Error(), "'I'") {
			msg += " (NaN and Infinity are not JSON numbers; a coordinate or value must be a finite number)"
		}
		return msg
	case errors.As(err, &te):
		return fmt.Sprintf("in %s: %s must be %s, got JSON %s", inside, fieldOr(te.Field, "the value"), te.Type, te.Value)
	}
	return fmt.Sprintf("reading %s: %v", inside, err)
}

func fieldOr(f, alt string) string {
	if f == "" {
		return alt
	}
	return f
}
