package planreport

import (
	_ "embed"
	"html/template"
	"io"
	"sort"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/mapstyle"
)

//go:embed report.html.tmpl
var reportTemplate string

// ContentType is the media type of WriteHTML's page.
const ContentType = "text/html; charset=utf-8"

// WriteHTML writes r as one print-ready HTML page (A4, Chinese; the map
// inline as SVG, no outside resources).
func WriteHTML(w io.Writer, r *Report) error {
	t := template.Must(template.New("report").Funcs(template.FuncMap{
		"dec":      dec,
		"pct":      pct,
		"gap":      pctFine,
		"kind":     func(k planner.ParcelKind) string { return word(kindZh, k) },
		"tier":     func(t planner.Tier) string { return word(tierZh, t) },
		"industry": r.industryName,
		"town":     r.townName,
		"mul2":     func(x float64) float64 { return 2 * x },
		"float":    func(n int) float64 { return float64(n) },
	}).Parse(reportTemplate))
	return t.Execute(w, r.view())
}

// view is what the template reads.
type view struct {
	*Report
	Title       string
	StaleNotice string
	Status      string
	StopReason  string
	Elapsed     string
	MapSVG      template.HTML
	Specialties []legendItem
	Tiers       []legendItem
	Protected   []legendItem
	Checks      []checkRow
	Unplaced    []countRow
	ParkCount   int
}

type legendItem struct {
	Label, Colour string
	Opacity       float64
	RadiusPx      float64
}

type checkRow struct {
	Rule, Title, Requirement string
	Figures                  []string
	Applies, Kept            bool
	Violations               []string
}

type countRow struct {
	Label string
	Count int
}

func (r *Report) view() view {
	v := view{Report: r, Title: r.Scenario.Name, ParkCount: len(r.Plan.Parks),
		Status:     word(statusZh, r.Plan.Solve.Status),
		StopReason: stopReason(r.Plan.Solve, r.Scenario),
		Elapsed:    duration(r.Plan.Solve.Elapsed),
		// DrawMap escapes every text it writes.
		MapSVG: template.HTML(r.Map)}
	if v.Title == "" {
		v.Title = r.ScenarioID
	}
	if r.Stale {
		if r.PlanRevision == 0 {
			v.StaleNotice = "本方案基于未记录版本的数据，当前数据为第 " + dec(float64(r.DataRevision), 0) + " 版。数据已更新，方案已过期，请重新运行后再归档。"
		} else {
			v.StaleNotice = "本方案基于第 " + dec(float64(r.PlanRevision), 0) + " 版数据，当前数据为第 " + dec(float64(r.DataRevision), 0) + " 版。数据已更新，方案已过期，请重新运行后再归档。"
		}
	}
	specs := make([]string, 0, len(r.Plan.Parks))
	for _, p := range r.Plan.Parks {
		specs = append(specs, p.Specialty)
	}
	colours := mapstyle.SpecialtyColours(specs)
	codes := make([]string, 0, len(colours))
	for c := range colours {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		v.Specialties = append(v.Specialties, legendItem{Label: r.industryName(c), Colour: colours[c], Opacity: 1})
	}
	for _, t := range []planner.Tier{planner.TierBasic, planner.TierStandard, planner.TierComplex} {
		v.Tiers = append(v.Tiers, legendItem{Label: word(tierZh, t), Colour: "#777777", RadiusPx: mapstyle.TierRadiusPx[t] * printTierScale})
	}
	for _, k := range []planner.ProtectedKind{planner.ProtectedFarmland, planner.ProtectedRedline, planner.ProtectedDevBoundary} {
		f := mapstyle.Protected[k]
		v.Protected = append(v.Protected, legendItem{Label: word(protectedZh, k), Colour: f.Colour, Opacity: f.Opacity})
	}
	for _, l := range r.Checklist {
		row := checkRow{Rule: l.Rule, Title: word(ruleZh, l.Rule), Requirement: requirement(l.Rule, r.Scenario), Applies: l.Applies, Kept: l.Kept()}
		if !l.Applies {
			row.Requirement = "本情景未启用"
		}
		for _, f := range l.Figures {
			row.Figures = append(row.Figures, r.figureText(f))
		}
		for _, x := range l.Violations {
			row.Violations = append(row.Violations, x.Subject+"："+x.Detail)
		}
		v.Checks = append(v.Checks, row)
	}
	counts := map[planner.UnplacedReason]int{}
	var reasons []planner.UnplacedReason
	for _, u := range r.Plan.Unplaced {
		if counts[u.Reason] == 0 {
			reasons = append(reasons, u.Reason)
		}
		counts[u.Reason]++
	}
	sort.Slice(reasons, func(i, j int) bool { return reasons[i] < reasons[j] })
	for _, why := range reasons {
		v.Unplaced = append(v.Unplaced, countRow{Label: word(reasonZh, why), Count: counts[why]})
	}
	return v
}
