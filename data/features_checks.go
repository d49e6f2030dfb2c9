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

// layerOwner is what a scenario or check layer belongs to.
type layerOwner struct {
	prefix    string // collection id prefix: the scenario id or "check-{id}"
	arg       any    // the value of the layer's {sc} fragment
	scenario  string // planner.Collection.Scenario: the scenario id, "" for a check
	title     string // collection title prefix
	published bool   // readable by the public role
	updated   time.Time
}

// checkPrefix starts the collection id of a saved check's layer: "check-{id}.violations".
const checkPrefix = "check-"

// SQL of the saved checks' layers (tables of migration 00020).
const (
	// sqlCheck reads one saved check.
	sqlCheck = `select id, source, scenario, created_at from quota_check where id = $1`
	// sqlChecks lists the saved checks.
	sqlChecks = `select id, source, scenario, created_at from quota_check order by id`
)

// checkRow is a saved check's listing.
type checkRow struct {
	id               int64
	source, scenario string
	created          time.Time
}

// owner returns the check as the owner of its layers: never published
// (a check is the bureau's working material).
func (r *checkRow) owner() *layerOwner {
	title := fmt.Sprintf("Check %d (%s, %s)", r.id, r.source, r.created.UTC().Format("2006-01-02 15:04 UTC"))
	return &layerOwner{prefix: checkPrefix + strconv.FormatInt(r.id, 10), arg: r.id, title: title, updated: r.created}
}

// ownerOf checks that the caller may read layer l and finds what it
// belongs to: nil for a base layer, the visible solved scenario or the
// saved check named owner, or ENOTFOUND. Restricted layers need
// unpublished (the reviewer and planner roles).
func (s *FeatureStore) ownerOf(ctx context.Context, l *featureLayer, owner string, unpublished bool) (*layerOwner, error) {
	if l.restricted && !unpublished {
		id := l.name
		if owner != "" {
			id = owner + "." + l.name
		}
		return nil, &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
			Message: fmt.Sprintf("no collection %q for the public role (saved checks are read with a reviewer or planner token)", id)}
	}
	switch {
	case l.scenario:
		sc, err := s.findScenario(ctx, owner, unpublished)
		if err != nil {
			return nil, err
		}
		return sc.owner(), nil
	case l.check:
		ch, err := s.findCheck(ctx, owner)
		if err != nil {
			return nil, err
		}
		return ch.owner(), nil
	case l.year:
		return s.findYear(ctx, owner)
	case l.province:
		return s.findProvinceOwner(ctx, owner)
	}
	return nil, nil
}

// findCheck reads the saved check named "check-{id}", or ENOTFOUND.
func (s *FeatureStore) findCheck(ctx context.Context, name string) (*checkRow, error) {
	notFound := &planner.Error{Code: planner.ENOTFOUND, Field: "collectionId",
		Message: fmt.Sprintf("no saved check %q (want check-{id}, the id `parkplan check --save` prints)", name)}
	digits, ok := strings.CutPrefix(name, checkPrefix)
	if !ok {
		return nil, notFound
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != digits {
		return nil, notFound // one spelling per check: no "check-01"
	}
	var r checkRow
	err = s.pool(ctx).QueryRowContext(ctx, sqlCheck, id).Scan(&r.id, &r.source, &r.scenario, &r.created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("data: reading saved check %d: %w", id, err)
	}
	return &r, nil
}

// appendCheckCollections appends the restricted base layers and each
// saved check's layers to out (callers check the role).
func (s *FeatureStore) appendCheckCollections(ctx context.Context, out []planner.Collection) ([]planner.Collection, error) {
	for _, l := range s.order {
		if !l.restricted || l.scenario || l.check {
			continue
		}
		c, err := s.describe(ctx, l, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	rows, err := s.pool(ctx).QueryContext(ctx, sqlChecks)
	if err != nil {
		return nil, fmt.Errorf("data: listing saved checks: %w", err)
	}
	var checks []checkRow
	for rows.Next() {
		var r checkRow
		if err := rows.Scan(&r.id, &r.source, &r.scenario, &r.created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: listing saved checks: %w", err)
		}
		checks = append(checks, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: listing saved checks: %w", err)
	}
	for _, l := range s.order {
		if !l.check {
			continue
		}
		extents, err := s.checkExtents(ctx, l)
		if err != nil {
			return nil, err
		}
		for i := range checks {
			c := newCollection(l, checks[i].owner())
			if b, ok := extents[checks[i].id]; ok {
				c.Extent = &b
			}
			out = append(out, *c)
		}
	}
	return out, nil
}

// checkExtents returns the extent of check layer l for every check that
// has a geometry in it, in one query.
func (s *FeatureStore) checkExtents(ctx context.Context, l *featureLayer) (map[int64][4]float64, error) {
	rows, err := s.pool(ctx).QueryContext(ctx, l.checkExtents)
	if err != nil {
		return nil, fmt.Errorf("data: extents of the saved checks' %s: %w", l.name, err)
	}
	defer rows.Close()
	out := map[int64][4]float64{}
	for rows.Next() {
		var id int64
		var b [4]float64
		if err := rows.Scan(&id, &b[0], &b[1], &b[2], &b[3]); err != nil {
			return nil, fmt.Errorf("data: extents of the saved checks' %s: %w", l.name, err)
		}
		out[id] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: extents of the saved checks' %s: %w", l.name, err)
	}
	return out, nil
}
