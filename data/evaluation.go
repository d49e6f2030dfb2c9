package data

import (
	"context"
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
// year-{year}.evaluation serves them).
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
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: saving evaluation %d: commit: %w", rep.Year, err)
	}
	return nil
}
