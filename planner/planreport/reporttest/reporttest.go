// Package reporttest checks plan report pages (planner/planreport) in
// tests: the page's own test, the API route's against PostGIS and the
// CLI's PDF. It is test support: nothing in the program uses it.
package reporttest

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parkplan/parkplan/planner"
	"github.com/parkplan/parkplan/planner/compliance"
	"github.com/parkplan/parkplan/planner/rules"
)

// CheckPage checks what every plan report page must carry: a row per
// park of plan, the ledger totals of led (compliance.BuildLedger), a row
// per ledger row, a checklist line per rule of rules.Order, the proof
// line's words, the map and an A4 page rule.
func CheckPage(t testing.TB, page string, plan *planner.Plan, led *compliance.Ledger) {
	t.Helper()
	if len(plan.Parks) == 0 {
		t.Fatal("the plan has no parks: nothing to check")
	}
	for _, p := range plan.Parks {
		if !strings.Contains(page, `<tr class="park" data-parcel="`+p.ParcelID+`">`) {
			t.Errorf("park %s not listed", p.ParcelID)
		}
	}
	if n := strings.Count(page, `<tr class="park" `); n != len(plan.Parks) {
		t.Errorf("%d park rows for %d parks", n, len(plan.Parks))
	}
	for field, want := range map[string]float64{
		"official_quota_mu": led.Totals.OfficialQuotaMu, "quota_mu": led.Totals.QuotaMu,
		"new_land_used_mu": led.Totals.NewLandUsedMu, "old_factory_mu": led.Totals.OldFactoryMu,
	} {
		m := regexp.MustCompile(`data-field="` + field + `">([0-9,.\-]+)<`).FindStringSubmatch(page)
		if m == nil {
			t.Errorf("ledger total %s missing", field)
			continue
		}
		got, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		if err != nil || math.Abs(got-want) > 0.005 {
			t.Errorf("ledger total %s is %s, compliance gives %.3f", field, m[1], want)
		}
	}
	if n := strings.Count(page, `<tr class="ledger-row`); n != len(led.Rows) {
		t.Errorf("%d ledger rows, compliance has %d", n, len(led.Rows))
	}
	for _, rule := range rules.Order {
		if !strings.Contains(page, `<tr class="check" data-rule="`+rule+`">`) {
			t.Errorf("no checklist line for %s", rule)
		}
	}
	for _, want := range []string{"@page", "size: A4", `id="proof"`, "目标值", "上界", "差距", "节点", "停止原因", "<svg", "小微企业园规划报告"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
