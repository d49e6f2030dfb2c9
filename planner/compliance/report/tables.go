package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/parkplan/parkplan/planner/compliance"
)

// The ledger and violations tables, shared by CSV and XLSX so both carry the
// same columns and figures. A cell is a string or a float64 (written as a
// number) or an int.

var ledgerHeader = []string{"town", "name_zh", "name_en", "year", "official_quota_mu", "quota_mu", "carried_in_mu",
	"available_mu", "new_land_used_mu", "old_factory_mu", "remaining_mu", "carried_out_mu", "over", "over_mu",
	"beyond_official_mu", "new_land_parks", "old_factory_parks"}

func ledgerRows(r *compliance.Report) [][]any {
	if r.Ledger == nil {
		return nil
	}
	out := make([][]any, 0, len(r.Ledger.Rows))
	for _, l := range r.Ledger.Rows {
		out = append(out, []any{l.Town, l.NameZh, l.NameEn, l.Year, l.OfficialQuotaMu, l.QuotaMu, l.CarriedInMu,
			l.AvailableMu, l.NewLandUsedMu, l.OldFactoryMu, l.RemainingMu, l.CarriedOutMu, strconv.FormatBool(l.Over), l.OverMu,
			l.BeyondOfficialMu, strings.Join(l.NewLandParks, ";"), strings.Join(l.OldFactoryParks, ";")})
	}
	return out
}

var violationHeader = []string{"kind", "sliver", "parcel_id", "parks", "town", "name_zh", "year", "area_mu", "detail"}

func violationRows(r *compliance.Report) [][]any {
	names := map[string]string{}
	if r.Ledger != nil {
		for _, l := range r.Ledger.Rows {
			names[l.Town] = l.NameZh
		}
	}
	var out [][]any
	add := func(vs []compliance.Violation, sliver bool) {
		for _, v := range vs {
			out = append(out, []any{string(v.Kind), strconv.FormatBool(sliver), v.ParcelID, strings.Join(v.Parks, ";"),
				v.Town, names[v.Town], v.Year, v.AreaMu, v.Detail})
		}
	}
	add(r.Violations, false)
	add(r.Slivers, true)
	return out
}

var parcelHeader = []string{"parcel_id", "town", "kind", "open_year", "area_mu", "valid", "invalid_reason",
	"farmland_mu", "redline_mu", "outside_boundary_mu"}

func parcelRows(r *compliance.Report) [][]any {
	out := make([][]any, 0, len(r.Parcels))
	for _, c := range r.Parcels {
		out = append(out, []any{c.ParcelID, c.Town, string(c.Kind), c.OpenYear, c.AreaMu, strconv.FormatBool(c.Valid),
			c.InvalidReason, c.FarmlandMu, c.RedlineMu, c.OutsideBoundaryMu})
	}
	return out
}

var marginalHeader = []string{"town", "name_zh", "name_en", "year", "remaining_mu", "step_mu", "objective_gain",
	"gain_per_mu", "gain_low", "gain_high", "status", "within_gap", "opened_parks", "detail"}

func marginalRows(r *compliance.Report) [][]any {
	out := make([][]any, 0, len(r.Marginal))
	for _, m := range r.Marginal {
		out = append(out, []any{m.Town, m.NameZh, m.NameEn, m.Year, m.RemainingMu, m.StepMu, m.ObjectiveGain,
			m.GainPerMu, m.GainLow, m.GainHigh, m.Status, strconv.FormatBool(m.WithinGap), strings.Join(m.OpenedParks, ";"), m.Detail})
	}
	return out
}

// cellText formats a cell for CSV: numbers with the shortest exact decimal.
func cellText(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	}
	panic("report: unexpected cell type")
}

func writeCSV(w io.Writer, header []string, rows [][]any) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for _, row := range rows {
		for i, c := range row {
			rec[i] = cellText(c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteLedgerCSV writes the quota ledger as CSV (UTF-8, header row; one row
// per town and year; areas in mu; parks joined by ';').
func WriteLedgerCSV(w io.Writer, r *compliance.Report) error {
	return writeCSV(w, ledgerHeader, ledgerRows(r))
}

// WriteViolationsCSV writes the violations, then the slivers (sliver=true), as CSV.
func WriteViolationsCSV(w io.Writer, r *compliance.Report) error {
	return writeCSV(w, violationHeader, violationRows(r))
}
