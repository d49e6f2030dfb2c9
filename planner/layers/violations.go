package layers

import (
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
)

// Violations is the name of the check layer: the OGC collections
// "violations" and "check-{id}.violations", and `parkplan check --out`'s
// violations.geojson.
const Violations = "violations"

// Array is the type of a property whose values are JSON arrays.
const Array = "array"

// violationRow is a check's violation with its place in the report.
type violationRow struct {
	r   *compliance.Report
	seq int // 1-based position in r.Violations
	v   *compliance.Violation
}

// nullable returns v, or nil (JSON null) when v is the zero value.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// violationsSpec: one feature per violation of a check, in the report's
// order; the overlap geometry (spatial kinds) or none (quota and
// invalid-input kinds). The id is "{check_id}-{seq}" for a saved check
// (seq counts from 1 in the report's order, as the saved rows do), the
// bare seq for a check that was not saved; check_id and created_at are
// null then.
func violationsSpec(r *compliance.Report) spec[violationRow] {
	return spec[violationRow]{
		Layer: Layer{Name: Violations, Title: "Check violations",
			Description:  "Violations of a quota and protected-land check (id check-seq); overlap geometry, null for quota and invalid-input violations",
			GeometryType: "MultiPolygon", IDDesc: "check-seq"},
		rows: func(*source, *planner.Plan) []violationRow {
			rows := make([]violationRow, len(r.Violations))
			for i := range r.Violations {
				rows[i] = violationRow{r: r, seq: i + 1, v: &r.Violations[i]}
			}
			return rows
		},
		id: func(x *violationRow) string {
			if x.r.SavedID == 0 {
				return strconv.Itoa(x.seq)
			}
			return strconv.FormatInt(x.r.SavedID, 10) + "-" + strconv.Itoa(x.seq)
		},
		geom: func(x *violationRow) orb.Geometry {
			switch g := x.v.Geometry.(type) {
			case orb.Polygon:
				return orb.MultiPolygon{g}
			case orb.MultiPolygon:
				if len(g) > 0 {
					return g
				}
			}
			return nil
		},
		fields: []field[violationRow]{
			anyField("check_id", Integer, "saved check id, null for a check not saved", func(x *violationRow) any { return nullable(x.r.SavedID) }),
			anyField("created_at", String, "when the check was saved, RFC 3339 UTC; null for a check not saved", func(x *violationRow) any {
				if x.r.SavedAt.IsZero() {
					return nil
				}
				return x.r.SavedAt.UTC().Format(time.RFC3339)
			}),
			text("source", "what was checked (scenario baseline, parcels up.geojson, …)", func(x *violationRow) string { return x.r.Source }),
			anyField("scenario", String, "checked scenario id, null for a parcel upload on its own", func(x *violationRow) any { return nullable(x.r.Scenario) }),
			text("kind", "basic_farmland | eco_redline | outside_dev_boundary | invalid_geometry | over_quota | beyond_official_quota",
				func(x *violationRow) string { return string(x.v.Kind) }),
			anyField("parcel_id", String, "park or proposed parcel id, null for quota kinds", func(x *violationRow) any { return nullable(x.v.ParcelID) }),
			anyField("parks", Array, "quota kinds: the new-land parks of that town and year; empty otherwise", func(x *violationRow) any {
				if x.v.Parks == nil {
					return []string{}
				}
				return x.v.Parks
			}),
			anyField("town", String, "town code", func(x *violationRow) any { return nullable(x.v.Town) }),
			anyField("year", Integer, "quota year (quota kinds) or the parcel's opening year (spatial kinds); null when not known",
				func(x *violationRow) any { return nullable(x.v.Year) }),
			number("area_mu", "overlap (spatial kinds) or excess over the quota (quota kinds), mu", func(x *violationRow) float64 { return x.v.AreaMu }),
			text("detail", "what is wrong, in words", func(x *violationRow) string { return x.v.Detail }),
		},
	}
}

// anyField is a property whose value may be null (or, Array, a list).
func anyField[T any](name, typ, desc string, v func(*T) any) field[T] {
	return field[T]{Prop{Name: name, Type: typ, Desc: desc}, v}
}

// ViolationsLayer describes the check layer.
func ViolationsLayer() Layer { return violationsSpec(nil).layer() }

// CheckViolations builds the check layer of report r.
func CheckViolations(r *compliance.Report) Collection { return violationsSpec(r).build(nil, nil) }
