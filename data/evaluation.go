package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"github.com/parkplan/parkplan/planner/evaluate"
)

// evaluationCols are park_evaluation's columns as SaveEvaluation writes them.
var evaluationCols = []string{"year", "park_id", "firms", "occupancy", "specialty_share_firms", "specialty_share_floor",
	"small_micro_share", "output_per_mu", "tax_per_mu", "facilities", "floor_use", "score", "rating", "trend",
	"rules_broken", "broken_detail", "history", "rubric", "plan"}

// SaveEvaluation stores a year's park evaluation in one transaction,
// replacing that year's saved rows (the OGC collection
// year-{year}.evaluation serves them); with rep.Exit also the year's exit
// list and refills (collection year-{year}.exit), replacing those.
func (db *DB) SaveEvaluation(ctx context.Context, rep *evaluate.Report) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM park_evaluation WHERE year = $1`, rep.Year); err != nil {
		return fmt.Errorf("data: saving evaluation %d: %w", rep.Year, err)
	}
	rows := make([][]any, len(rep.Parks))
	for i, p := range rep.Parks {
		v := map[string]float64{}
		for _, ind := range p.Indicators {
			v[ind.Name] = ind.Value
		}
		rules := make([]string, len(p.Broken))
		details := make([]string, len(p.Broken))
		for j, b := range p.Broken {
			rules[j], details[j] = b.Rule, b.Rule+": "+b.Detail
		}
		hist, err := json.Marshal(p.History)
		if err != nil {
			return err
		}
		rows[i] = []any{rep.Year, p.ParkID, p.Firms, v[evaluate.IndOccupancy], v[evaluate.IndSpecialtyShareFirms], v[evaluate.IndSpecialtyShareFloor],
			v[evaluate.IndSmallMicroShare], v[evaluate.IndOutputPerMu], v[evaluate.IndTaxPerMu], v[evaluate.IndFacilities], v[evaluate.IndFloorUse],
			p.Score, p.Rating, p.Trend, pq.StringArray(rules), strings.Join(details, "\n"), string(hist), rep.Rubric, rep.Plan}
	}
	if err := copyRows(ctx, tx, "park_evaluation", evaluationCols, len(rows), func(i int) []any { return rows[i] }); err != nil {
		return fmt.Errorf("data: saving evaluation %d: %w", rep.Year, err)
	}
	if rep.Exit != nil {
		if err := saveExitList(ctx, tx, rep.Exit); err != nil {
			return fmt.Errorf("data: saving the exit list of %d: %w", rep.Year, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: saving evaluation %d: commit: %w", rep.Year, err)
	}
	return nil
}

// exitCols are park_exit's columns as saveExitList writes them.
var exitCols = []string{"year", "park_id", "specialty", "leaving", "broken_now", "broken_after", "refill", "refill_restores",
	"refill_status", "free_floor_m2", "refill_floor_m2", "refill_firms", "specialty_share_firms", "specialty_share_floor", "small_micro_share"}

// saveExitList replaces the exit list of ex.Year in tx.
func saveExitList(ctx context.Context, tx *sql.Tx, ex *evaluate.ExitList) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM park_exit WHERE year = $1`, ex.Year); err != nil {
		return err
	}
	leaving := map[string][]evaluate.ExitFirm{}
	for _, f := range ex.Firms {
		leaving[f.ParkID] = append(leaving[f.ParkID], f)
	}
	lines := func(vs []evaluate.Violation) string {
		s := make([]string, len(vs))
		for i, v := range vs {
			s[i] = v.Rule + ": " + v.Detail
		}
		return strings.Join(s, "\n")
	}
	rows := make([][]any, len(ex.Parks))
	for i, p := range ex.Parks {
		lv, err := json.Marshal(append([]evaluate.ExitFirm{}, leaving[p.ParkID]...))
		if err != nil {
			return err
		}
		row := []any{ex.Year, p.ParkID, p.Specialty, string(lv), lines(p.BrokenNow), lines(p.BrokenAfter), p.Refill != nil,
			false, "", 0.0, 0.0, "[]", nil, nil, nil}
		if r := p.Refill; r != nil {
			firms, err := json.Marshal(append([]evaluate.RefillFirm{}, r.Entrants...))
			if err != nil {
				return err
			}
			row[7], row[8], row[9], row[10], row[11] = r.Restores, string(r.Solve.Status), r.FreeFloorM2, r.FloorAddedM2, string(firms)
			row[12], row[13], row[14] = r.SpecialtyShareFirms, r.SpecialtyShareFloor, r.SmallMicroShare
		}
		rows[i] = row
	}
	return copyRows(ctx, tx, "park_exit", exitCols, len(rows), func(i int) []any { return rows[i] })
}
