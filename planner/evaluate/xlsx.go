package evaluate

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parkplan/parkplan/planner/compliance/report"
)

// Sheets of the evaluation workbook.
const (
	SheetSummary    = "summary"
	SheetParks      = "parks"
	SheetIndicators = "indicators"
	SheetBroken     = "broken"
	SheetHistory    = "history"
	SheetExit       = "exit"   // with the exit list: firms failing admission
	SheetRefill     = "refill" // with the exit list: each refill's entrants
)

// WriteXLSX writes rep as an XLSX workbook for the bureau: "summary"
// (year, rubric, plan compared), "parks" (one row per park: indicators,
// score, rating, trend), "indicators" (each against its rule and the
// plan), "broken" (each broken rule by name) and "history" (score and
// rating by year); with the exit list also "exit" (firms failing the
// admission rules) and "refill" (each breaking park's refill, one row per
// entrant). Figures are numeric cells; shares are fractions.
func WriteXLSX(w io.Writer, rep *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	if err := report.FillSheet(f, SheetSummary, []string{"item", "value"}, [][]any{
		{"year", rep.Year}, {"rubric", rep.Rubric}, {"note", rep.Note}, {"plan", rep.Plan}, {"parks", len(rep.Parks)},
	}); err != nil {
		return err
	}
	parkHeader := append([]string{"park_id", "name", "town", "specialty", "tier", "area_mu", "firms"}, indicatorOrder...)
	parkHeader = append(parkHeader, "score", "rating", "trend", "rules_broken", "missing_facilities")
	var parks, inds, broken, hist [][]any
	for _, p := range rep.Parks {
		row := []any{p.ParkID, p.Name, p.Town, p.Specialty, string(p.Tier), p.AreaMu, p.Firms}
		for _, ind := range p.Indicators {
			row = append(row, ind.Value)
			r := []any{p.ParkID, ind.Name, ind.Value, nil, nil, nil, ind.Score}
			if ind.Rule != nil {
				r[3], r[4] = *ind.Rule, *ind.Meets
			}
			if ind.Plan != nil {
				r[5] = *ind.Plan
			}
			inds = append(inds, r)
		}
		rules := make([]string, len(p.Broken))
		for i, b := range p.Broken {
			rules[i] = b.Rule
			broken = append(broken, []any{p.ParkID, b.Rule, b.Detail})
		}
		parks = append(parks, append(row, p.Score, p.Rating, p.Trend, strings.Join(rules, " "), strings.Join(p.Missing, " ")))
		for _, h := range p.History {
			hist = append(hist, []any{p.ParkID, h.Year, h.Score, h.Rating})
		}
	}
	type sheet struct {
		name   string
		header []string
		rows   [][]any
	}
	sheets := []sheet{
		{SheetParks, parkHeader, parks},
		{SheetIndicators, []string{"park_id", "indicator", "value", "rule", "meets_rule", "plan", "score"}, inds},
		{SheetBroken, []string{"park_id", "rule", "detail"}, broken},
		{SheetHistory, []string{"park_id", "year", "score", "rating"}, hist},
	}
	if ex := rep.Exit; ex != nil {
		var exits, refills [][]any
		for _, f := range ex.Firms {
			exits = append(exits, []any{f.FirmID, f.ParkID, f.Industry, f.FloorM2, f.Reason})
		}
		for _, p := range ex.Parks {
			if r := p.Refill; r != nil {
				for _, e := range r.Entrants {
					refills = append(refills, []any{p.ParkID, r.Restores, string(r.Solve.Status), r.FreeFloorM2, e.EnterpriseID, e.Town, e.Industry, string(e.Size), e.FloorM2, e.DistanceKm})
				}
			}
		}
		sheets = append(sheets,
			sheet{SheetExit, []string{"firm_id", "park_id", "industry", "floor_m2", "reason"}, exits},
			sheet{SheetRefill, []string{"park_id", "restores", "status", "free_floor_m2", "enterprise_id", "town", "industry", "size", "floor_m2", "distance_km"}, refills})
	}
	for _, s := range sheets {
		if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		if err := report.FillSheet(f, s.name, s.header, s.rows); err != nil {
			return err
		}
	}
	_, err := f.WriteTo(w)
	return err
}
