package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// yearPrefix starts the collection id of a yearly layer: "year-2021.evaluation".
const yearPrefix = "year-"

// SQL of the yearly layers (park_evaluation, migration 00062).
const (
	sqlEvaluationYear  = `select year, max(evaluated_at) from park_evaluation where year = $1 group by year`
	sqlEvaluationYears = `select year, max(evaluated_at) from park_evaluation group by year order by year`
)

// yearOwner returns a saved evaluation year as the owner of the yearly
// layers: public, like the base layers.
func yearOwner(year int, updated time.Time) *layerOwner {
	return &layerOwner{prefix: yearPrefix + strconv.Itoa(year), arg: year, title: strconv.Itoa(year), published: true, updated: updated}
}

// findYear reads the saved evaluation year named "year-{year}", or ENOTFOUND.
func (s *FeatureStore) findYear(ctx context.Context, name string) (*layerOwner, error) {
	notFound := &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
		Message: fmt.Sprintf("no saved evaluation %q (want year-{year} of a year saved by `parkplan evaluate --save`)", name)}
	digits, ok := strings.CutPrefix(name, yearPrefix)
	if !ok {
		return nil, notFound
	}
	year, err := strconv.Atoi(digits)
	if err != nil || strconv.Itoa(year) != digits {
		return nil, notFound
	}
	var updated time.Time
	err = s.db.QueryRowContext(ctx, sqlEvaluationYear, year).Scan(&year, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	} else if err != nil {
		return nil, fmt.Errorf("data: reading evaluation %d: %w", year, err)
	}
	return yearOwner(year, updated), nil
}

// appendYearCollections adds each yearly layer of every saved evaluation year.
func (s *FeatureStore) appendYearCollections(ctx context.Context, out []planner.Collection) ([]planner.Collection, error) {
	rows, err := s.db.QueryContext(ctx, sqlEvaluationYears)
	if err != nil {
		return nil, fmt.Errorf("data: listing evaluation years: %w", err)
	}
	var owners []*layerOwner
	for rows.Next() {
		var y int
		var t time.Time
		if err := rows.Scan(&y, &t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: listing evaluation years: %w", err)
		}
		owners = append(owners, yearOwner(y, t))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: listing evaluation years: %w", err)
	}
	return s.appendOwned(ctx, out, owners, func(l *featureLayer) bool { return l.year })
}
