package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/parkplan/parkplan/planner/compliance"
)

// Sheet names of the workbook.
const (
	SheetLedger     = "ledger"
	SheetViolations = "violations"
	SheetParcels    = "parcels"
	SheetMarginal   = "marginal"
	SheetSummary    = "summary"
)

// WriteXLSX writes r as an XLSX workbook: "summary" (source, clean,
// counts), "ledger", "violations" (slivers marked), "parcels" (every
// spatial check) and, when the report has it, "marginal". Areas are numeric
// cells in mu; town names keep their Chinese characters.
func WriteXLSX(w io.Writer, r *compliance.Report) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	summary := [][]any{
		{"source", r.Source},
		{"scenario", r.Scenario},
		{"clean", fmt.Sprint(r.Clean)},
		{"violations", len(r.Violations)},
		{"slivers", len(r.Slivers)},
		{"tolerance_mu", r.ToleranceMu},
	}
	if r.Ledger != nil {
		t := r.Ledger.Totals
		summary = append(summary, []any{"official_quota_mu", t.OfficialQuotaMu}, []any{"quota_mu", t.QuotaMu},
			[]any{"new_land_used_mu", t.NewLandUsedMu}, []any{"old_factory_mu", t.OldFactoryMu},
			[]any{"over_mu", t.OverMu}, []any{"over_rows", t.OverRows})
	}
	if q := r.QuotaIncrease; q != nil {
		summary = append(summary, []any{"quota_increase_feasible", fmt.Sprint(q.Feasible)},
			[]any{"quota_increase_total_mu", q.TotalMu}, []any{"quota_increase_detail", q.Detail})
		for _, e := range q.Extras {
			summary = append(summary, []any{"quota_increase " + e.Town + " " + fmt.Sprint(e.Year), e.ExtraMu})
		}
	}
	if err := FillSheet(f, SheetSummary, []string{"item", "value"}, summary); err != nil {
		return err
	}
	sheets := []struct {
		name   string
		header []string
		rows   [][]any
	}{
		{SheetLedger, ledgerHeader, ledgerRows(r)},
		{SheetViolations, violationHeader, violationRows(r)},
		{SheetParcels, parcelHeader, parcelRows(r)},
	}
	if len(r.Marginal) > 0 {
		sheets = append(sheets, struct {
			name   string
			header []string
			rows   [][]any
		}{SheetMarginal, marginalHeader, marginalRows(r)})
	}
	for _, s := range sheets {
		if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		if err := FillSheet(f, s.name, s.header, s.rows); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// FillSheet writes a header row (bold, frozen) and the rows into sheet
// through a stream writer; other workbooks of parkplan reuse it.
func FillSheet(f *excelize.File, sheet string, header []string, rows [][]any) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetColWidth(1, len(header), 14); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
