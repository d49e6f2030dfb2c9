package mip

import (
	"fmt"

	"github.com/parkplan/parkplan/planner"
)

// Rows are built one after the other, each growing in the unused tail of
// a shared chunk of entries, so building the model allocates once per
// chunk instead of a few times per row. Chunks double from firstChunk to
// maxChunk entries (small models stay small); a row is given a fresh
// chunk when fewer than minFree entries are left.
const (
	firstChunk = 1 << 10
	maxChunk   = 1 << 16
	minFree    = 64
)

// AddRow adds an empty row with no rule (a consumer's own, e.g. an elastic
// slack's link) and returns its index; note says what it is.
func (m *Model) AddRow(sense Sense, rhs float64, note string) int {
	r := m.newRow("", sense, rhs)
	m.Rows[r].Note = note
	return r
}

// newRow opens a row of rule with nothing bound yet (every index −1).
func (m *Model) newRow(rule string, sense Sense, rhs float64) int {
	m.closeRow()
	if cap(m.free.cols) < minFree {
		m.chunk = min(max(2*m.chunk, firstChunk), maxChunk)
		m.free = entries{make([]int, 0, m.chunk), make([]float64, 0, m.chunk)}
	}
	m.Rows = append(m.Rows, Row{Rule: rule, Sense: sense, RHS: rhs,
		Cols: m.free.cols[:0], Coefs: m.free.coefs[:0],
		Town: -1, Year: -1, Site: -1, Spec: -1, Arc: -1, Group: -1})
	return len(m.Rows) - 1
}

// closeRow ends the last row: what it took of the chunk is no longer free,
// and its slices are capped so that a later Add to it copies rather than
// overwrite the next row's entries.
func (m *Model) closeRow() {
	if len(m.Rows) == 0 {
		return
	}
	r := &m.Rows[len(m.Rows)-1]
	n := len(r.Cols)
	if n > 0 && cap(m.free.cols) >= n && &r.Cols[0] == &m.free.cols[:1][0] {
		m.free.cols = m.free.cols[n:n:cap(m.free.cols)]
		m.free.coefs = m.free.coefs[n:n:cap(m.free.coefs)]
	}
	r.Cols, r.Coefs = r.Cols[:n:n], r.Coefs[:n:n]
}

// Add adds coef to row r's coefficient of column col. A negative col (a
// variable the layout does not have) and a zero coef add nothing.
func (m *Model) Add(r, col int, coef float64) {
	if col < 0 || coef == 0 {
		return
	}
	row := &m.Rows[r]
	if n := len(row.Cols); n > 0 && row.Cols[n-1] == col {
		row.Coefs[n-1] += coef
		return
	}
	row.Cols = append(row.Cols, col)
	row.Coefs = append(row.Coefs, coef)
}

// ySum adds coef·Σ y[s,t,k] over t in [t0, t1] and every k (k < 0) or one k.
func (m *Model) ySum(r, s, t0, t1, k int, coef float64) {
	for t := t0; t <= t1; t++ {
		for kk, col := range m.Y[s][t] {
			if k < 0 || kk == k {
				m.Add(r, col, coef)
			}
		}
	}
}

// Meaning says what row r is: its rule's name and what it binds, e.g.
// "ruleQuota town=zhouxiang year=2020" (the MPS name map's words).
func (m *Model) Meaning(r int) string {
	row := &m.Rows[r]
	inst := m.Inst
	sc := &inst.Scenario
	switch row.Rule {
	case "":
		return row.Note
	case planner.RuleTargetParks:
		return fmt.Sprintf("%s parks=%d year=%d", row.Rule, sc.TargetParks, sc.TargetYear)
	case planner.RuleEveryTown:
		return fmt.Sprintf("%s town=%s year=%d", row.Rule, inst.Towns[row.Town], sc.TargetYear)
	case planner.RuleNewLandCap:
		return fmt.Sprintf("%s parks=%d", row.Rule, sc.MaxNewLandParks)
	case planner.RuleQuota:
		return fmt.Sprintf("%s town=%s year=%d", row.Rule, inst.Towns[row.Town], inst.Years[row.Year])
	case planner.RuleBudget, planner.RuleCountyAllocation:
		return fmt.Sprintf("%s year=%d", row.Rule, inst.Years[row.Year])
	case planner.RulePlaceOnce:
		return fmt.Sprintf("%s group=%d", row.Rule, row.Group)
	}
	site := inst.Sites[row.Site]
	if row.Spec < 0 {
		return row.Rule + " parcel=" + site.ParcelID // ruleOpenOnce
	}
	tag := fmt.Sprintf("parcel=%s specialty=%s", site.ParcelID, inst.Industries[site.Specialties[row.Spec]])
	switch {
	case row.Arc >= 0: // ruleLink
		return fmt.Sprintf("%s arc=%d %s", row.Rule, row.Arc, tag)
	case row.Part != "": // ruleSpecialtyShare
		return row.Rule + " " + row.Part + " " + tag
	}
	return row.Rule + " " + tag
}

// Words names row r in planning words when it is one of the rules a plan's
// binding list reports (target, new-land cap, quota, budget, capacity, the
// share rules), e.g. "quota zhouxiang 2020"; "" for the others.
func (m *Model) Words(r int) string { return Words(m.Inst, &m.Rows[r]) }

// Words names a rule's row in planning words by what it binds (Rule, Town,
// Year, Site, Part; its entries do not matter): the words a plan's binding
// list uses, whichever solver found the rule binding. "" for the rules the
// list does not report.
func Words(inst *planner.Instance, row *Row) string {
	sc := &inst.Scenario
	switch row.Rule {
	case planner.RuleTargetParks:
		return fmt.Sprintf("target %d by %d", sc.TargetParks, sc.TargetYear)
	case planner.RuleNewLandCap:
		return fmt.Sprintf("new-land cap %d", sc.MaxNewLandParks)
	case planner.RuleQuota:
		return fmt.Sprintf("quota %s %d", inst.Towns[row.Town], inst.Years[row.Year])
	case planner.RuleBudget:
		return fmt.Sprintf("budget %d", inst.Years[row.Year])
	case planner.RuleCountyAllocation:
		return fmt.Sprintf("county allocation %d", inst.Years[row.Year])
	case planner.RuleCapacity:
		return "capacity " + inst.Sites[row.Site].ParcelID
	case planner.RuleSpecialtyShare:
		return "specialty share (" + row.Part + ") " + inst.Sites[row.Site].ParcelID
	case planner.RuleSmallMicroShare:
		return "small/micro share " + inst.Sites[row.Site].ParcelID
	}
	return ""
}

// ColumnMeaning says what column j stands for, e.g. "y parcel=P-0001
// year=2019 specialty=textile" or "x parcel=P-0001 group=3 specialty=textile".
func (m *Model) ColumnMeaning(j int) string {
	c := &m.Columns[j]
	inst := m.Inst
	if c.Kind == KindC {
		return c.Note
	}
	site := inst.Sites[c.Site]
	spec := "any"
	if c.Spec >= 0 {
		spec = inst.Industries[site.Specialties[c.Spec]]
	}
	if c.Kind == KindY {
		return fmt.Sprintf("y parcel=%s year=%d specialty=%s", site.ParcelID, inst.Years[c.Year], spec)
	}
	return fmt.Sprintf("x parcel=%s group=%d specialty=%s", site.ParcelID, inst.Arcs[c.Arc].Group, spec)
}
