package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parkplan/parkplan/planner"
)

// provincePrefix starts the collection id of a saved provincial plan's
// layer: "province-zj2025.allocation".
const provincePrefix = "province-"

// SQL of the provincial plans' layers (province, migration 00071).
const (
	sqlProvinceOwner  = `select id, name, saved_at from province where id = $1`
	sqlProvinceOwners = `select id, name, saved_at from province order by id collate "C"`
)

// provinceOwner returns a saved provincial plan as the owner of its
// layers: public, like the base layers (its county plans keep their own
// scenarios' publication).
func provinceOwner(id, name string, updated time.Time) *layerOwner {
	title := "province " + id
	if name != "" {
		title = name
	}
	return &layerOwner{prefix: provincePrefix + id, arg: id, title: title, published: true, updated: updated}
}

// findProvinceOwner reads the saved provincial plan named
// "province-{id}", or ENOTFOUND.
func (s *FeatureStore) findProvinceOwner(ctx context.Context, name string) (*layerOwner, error) {
	notFound := &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
		Message: fmt.Sprintf("no saved provincial plan %q (want province-{id} of a plan listed by GET /provinces)", name)}
	id, ok := strings.CutPrefix(name, provincePrefix)
	if !ok || id == "" {
		return nil, notFound
	}
	var pname string
	var updated time.Time
	err := s.pool(ctx).QueryRowContext(ctx, sqlProvinceOwner, id).Scan(&id, &pname, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	} else if err != nil {
		return nil, fmt.Errorf("data: reading province %q: %w", id, err)
	}
	return provinceOwner(id, pname, updated), nil
}

// appendProvinceCollections adds each provincial plan's layers.
func (s *FeatureStore) appendProvinceCollections(ctx context.Context, out []planner.Collection) ([]planner.Collection, error) {
	rows, err := s.pool(ctx).QueryContext(ctx, sqlProvinceOwners)
	if err != nil {
		return nil, fmt.Errorf("data: listing provinces: %w", err)
	}
	var owners []*layerOwner
	for rows.Next() {
		var id, name string
		var t time.Time
		if err := rows.Scan(&id, &name, &t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: listing provinces: %w", err)
		}
		owners = append(owners, provinceOwner(id, name, t))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: listing provinces: %w", err)
	}
	return s.appendOwned(ctx, out, owners, func(l *featureLayer) bool { return l.province })
}
