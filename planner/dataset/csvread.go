package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parkplan/parkplan/planner"
)

// utf8BOM is skipped at the start of a CSV file (spreadsheets write it).
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads a CSV file with the exact header want, calling fn with
// each record and its line number. Faults of the file as a whole are
// reported to errs.
func readCSV(r io.Reader, file string, want []string, errs *collector, fn func(line int, rec []string) error) error {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	if _, err := br.Peek(1); err == io.EOF {
		errs.add(file, "file is empty; it needs the header %s", strings.Join(want, ","))
		return nil
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = len(want)
	header, err := cr.Read()
	if err != nil || !slices.Equal(header, want) {
		errs.add(file+": line 1", "header is %q; it must be %s", clip(strings.Join(header, ",")), strings.Join(want, ","))
		return nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs.add(fmtRecord(file, pe.Line), "%v", pe.Err)
			if errs.atCap() {
				return nil
			}
			continue
		} else if err != nil {
			return err
		}
		// FieldPos is defined only after a successful Read: asked after a
		// parse error it panics (found by FuzzReadLayer).
		line, _ := cr.FieldPos(0)
		bad := false
		for i, f := range rec {
			if !utf8.ValidString(f) {
				errs.add(fmtRecord(file, line)+": "+want[i], "holds bytes that are not UTF-8 (%q); save the file as UTF-8 (GBK/GB18030 is not accepted)", clip(f))
				bad = true
			} else if msg := textFault(f); msg != "" {
				errs.add(fmtRecord(file, line)+": "+want[i], "%s", msg)
				bad = true
			}
		}
		if bad {
			continue
		}
		if err := fn(line, rec); err != nil {
			return err
		}
		if errs.atCap() {
			return nil
		}
	}
}

func (rd *reader) readIndustries(r io.Reader) error {
	type rec struct {
		line int
		ind  planner.Industry
	}
	var all []rec
	first := map[string]int{}
	err := readCSV(r, FileIndustries, headerIndustries, rd.errs, func(line int, f []string) error {
		where := fmtRecord(FileIndustries, line)
		code := strings.TrimSpace(f[0])
		switch {
		case code == "":
			rd.errs.add(where+": code", "is empty")
			return nil
		case len(code) > MaxIDLen:
			rd.errs.add(where+": code", "%q %s", clip(code), idFault(code))
			return nil
		case strings.ContainsFunc(code, unicode.IsSpace) || strings.ContainsAny(code, ";,"): // the table's check
			rd.errs.add(where+": code", "%q holds a space, comma or ';'", clip(code))
			return nil
		}
		if l, dup := first[code]; dup {
			rd.errs.add(where+": code", "duplicate code %q: line %d has it too", clip(code), l)
			return nil
		}
		first[code] = line
		in := planner.Industry{Code: code, NameZh: f[1], NameEn: f[2]}
		if rel := strings.TrimSpace(f[3]); rel != "" {
			for _, c := range strings.Split(rel, relatedSep) {
				in.Related = append(in.Related, strings.TrimSpace(c))
			}
		}
		all = append(all, rec{line, in})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range all {
		rd.industries[r.ind.Code] = true
	}
	for _, r := range all {
		for _, c := range r.ind.Related {
			where := fmtRecord(FileIndustries, r.line) + ": related"
			switch {
			case c == r.ind.Code:
				rd.errs.add(where, "%q lists itself as related", clip(c))
			case !rd.industries[c]:
				rd.errs.add(where, "unknown industry %q (no line of %s has that code)", clip(c), FileIndustries)
			}
		}
	}
	for _, r := range all {
		rd.counts.Industries++
		if err := emit(rd, rd.h.Industry, r.ind); err != nil {
			return err
		}
	}
	return nil
}

func (rd *reader) readQuotas(r io.Reader) error {
	type key struct {
		town string
		year int
	}
	first := map[key]int{}
	return readCSV(r, FileQuotas, headerQuotas, rd.errs, func(line int, f []string) error {
		where := fmtRecord(FileQuotas, line)
		q := planner.Quota{Town: strings.TrimSpace(f[0])}
		ok := true
		if !rd.towns[q.Town] && !rd.incomplete[FileTowns] {
			rd.errs.add(where+": town", "unknown town %q (not in %s)", clip(q.Town), FileTowns)
			ok = false
		}
		year, err := strconv.Atoi(strings.TrimSpace(f[1]))
		if err != nil || year < minYear || year > maxYear {
			rd.errs.add(where+": year", "%q is not a year between %d and %d", clip(f[1]), minYear, maxYear)
			ok = false
		}
		q.Year = year
		text := strings.TrimSpace(f[2])
		mu, err := strconv.ParseFloat(text, 64)
		switch {
		case !decimalNumber.MatchString(text) || err != nil || math.IsNaN(mu) || math.IsInf(mu, 0) || mu < 0:
			rd.errs.add(where+": new_land_mu", "%q is not a decimal number ≥ 0 (mu; hex, Inf and NaN are not accepted)", clip(f[2]))
			ok = false
		case mu > provinceAreaMu:
			rd.errs.add(where+": new_land_mu", "is %s mu, more than the whole of Zhejiang province (%.0f mu); implausible", clip(text), provinceAreaMu)
			ok = false
		}
		q.NewLandMu = mu
		if !ok {
			return nil
		}
		k := key{q.Town, q.Year}
		if l, dup := first[k]; dup {
			rd.errs.add(where, "duplicate quota for town %s, year %d: line %d has it too", q.Town, q.Year, l)
			return nil
		}
		first[k] = line
		rd.counts.Quotas++
		return emit(rd, rd.h.Quota, q)
	})
}
