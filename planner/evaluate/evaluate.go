package evaluate

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/parkplan/parkplan/planner"
)

// shareTol lets exact ties pass a share rule (7 of 10 firms at 70 %).
const shareTol = 1e-9

// Input is what an evaluation reads.
type Input struct {
	Dataset    *planner.Dataset    // parcels (area, FAR, specialty) and industries
	Scenario   planner.Scenario    // the rules: shares, usable share, admission thresholds
	Monitoring *planner.Monitoring // every year on record (the trend looks back)
	Plan       *planner.Plan       // what was promised; nil for no plan comparison
	Rubric     Rubric
}

// Report is the evaluation of one year.
type Report struct {
	Year   int    `json:"year"`
	Rubric string `json:"rubric"`
	Note   string `json:"note"`
	Plan   string `json:"plan,omitempty"` // the plan's scenario, when compared
	Parks  []Park `json:"parks"`          // by park id
	// Exit is the year's exit list and refills, when asked for (Exits).
	Exit *ExitList `json:"exit,omitempty"`
}

// Park is one park's evaluation in one year.
type Park struct {
	ParkID     string        `json:"park_id"`
	Name       string        `json:"name,omitempty"`
	Town       string        `json:"town"`
	Specialty  string        `json:"specialty"`
	Tier       planner.Tier  `json:"tier"`
	AreaMu     float64       `json:"area_mu"`
	Firms      int           `json:"firms"`
	FloorM2    float64       `json:"floor_used_m2"` // occupied by the firms on record
	Indicators []Indicator   `json:"indicators"`    // in a fixed order
	Broken     []Violation   `json:"broken,omitempty"`
	Missing    []string      `json:"missing_facilities,omitempty"`
	Score      float64       `json:"score"` // 0–100
	Rating     string        `json:"rating"`
	Trend      string        `json:"trend"` // up, down, steady, or first (no earlier year)
	History    []YearScore   `json:"history"`
	Below      []FirmFailure `json:"below_admission,omitempty"` // firms in the park that fail the scenario's admission rule
	PlanFigure *PlanPromise  `json:"plan,omitempty"`
}

// Indicator is one figure of a park, against its rule and its plan.
type Indicator struct {
	Name  string   `json:"name"`
	Value float64  `json:"value"`
	Rule  *float64 `json:"rule,omitempty"` // the minimum (or, for floor_use, maximum) the rule sets; nil without a rule
	Meets *bool    `json:"meets,omitempty"`
	Plan  *float64 `json:"plan,omitempty"` // what the plan promised; nil without one
	Score float64  `json:"score"`          // 0–1 on the rubric's scale
}

// Violation is a rule a park breaks, by its code name (docs/model.md).
type Violation struct {
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

// YearScore is a park's score and rating in one year.
type YearScore struct {
	Year   int     `json:"year"`
	Score  float64 `json:"score"`
	Rating string  `json:"rating"`
}

// FirmFailure is a firm on record in a park that fails the scenario's admission rule.
type FirmFailure struct {
	FirmID string `json:"firm_id"`
	Reason string `json:"reason"`
}

// PlanPromise is what the plan promised a park.
type PlanPromise struct {
	OpenYear            int     `json:"open_year"`
	Firms               int     `json:"firms"`    // for built parks: the firms on record in the dataset plus the plan's entrants
	Entrants            int     `json:"entrants"` // firms the plan places in the park; the shares and output below are theirs
	SpecialtyFirmShare  float64 `json:"specialty_firm_share"`
	SpecialtyFloorShare float64 `json:"specialty_floor_share"`
	SmallMicroShare     float64 `json:"small_micro_share"`
	OutputPerMu         float64 `json:"output_per_mu"` // the entrants' output over the park's area
}

// Evaluate evaluates every park on record in year. It returns an EINVALID
// error when year has no record or the rubric is invalid; a park on record
// whose parcel is not in the dataset is an EINVALID error too.
func Evaluate(in Input, year int) (*Report, error) {
	if err := in.Rubric.Validate(); err != nil {
		return nil, err
	}
	e := newEvaluator(in)
	years := in.Monitoring.Years()
	if i := sort.SearchInts(years, year); i == len(years) || years[i] != year {
		return nil, planner.Errorf(planner.EINVALID, "no monitoring record for %d (years on record: %v)", year, years)
	}
	rep := &Report{Year: year, Rubric: in.Rubric.Name, Note: in.Rubric.Note}
	if in.Plan != nil {
		rep.Plan = in.Plan.Scenario
	}
	for _, py := range e.parkYears[year] {
		pk, err := e.park(py)
		if err != nil {
			return nil, err
		}
		for _, y := range years {
			if y > year {
				break
			}
			if prev, ok := e.parkYearOf(y, py.ParkID); ok {
				p, err := e.park(prev)
				if err != nil {
					return nil, err
				}
				pk.History = append(pk.History, YearScore{Year: y, Score: p.Score, Rating: p.Rating})
			}
		}
		pk.Trend = trend(pk.History, in.Rubric.TrendSteady)
		rep.Parks = append(rep.Parks, *pk)
	}
	return rep, nil
}

// trend compares the last two scores of a history.
func trend(h []YearScore, steady float64) string {
	if len(h) < 2 {
		return "first"
	}
	d := h[len(h)-1].Score - h[len(h)-2].Score
	switch {
	case math.Abs(d) < steady:
		return "steady"
	case d > 0:
		return "up"
	}
	return "down"
}

type evaluator struct {
	in        Input
	parcels   map[string]planner.Parcel
	inds      map[string]planner.Industry
	parkYears map[int][]planner.ParkYear            // by year, park id order
	firms     map[int]map[string][]planner.FirmYear // year → park → firms
	planParks map[string]planner.Park               // plan's parks by parcel id
	planFirms map[string][]planner.Enterprise       // plan's entrants by park
	ents      map[string]planner.Enterprise         // dataset firms by id
}

func newEvaluator(in Input) *evaluator {
	e := &evaluator{in: in, parcels: map[string]planner.Parcel{}, inds: map[string]planner.Industry{},
		parkYears: map[int][]planner.ParkYear{}, firms: map[int]map[string][]planner.FirmYear{},
		planParks: map[string]planner.Park{}, planFirms: map[string][]planner.Enterprise{}, ents: map[string]planner.Enterprise{}}
	for _, p := range in.Dataset.Parcels {
		e.parcels[p.ID] = p
	}
	for _, i := range in.Dataset.Industries {
		e.inds[i.Code] = i
	}
	for _, py := range in.Monitoring.Parks {
		e.parkYears[py.Year] = append(e.parkYears[py.Year], py)
	}
	for y := range e.parkYears {
		s := e.parkYears[y]
		sort.Slice(s, func(i, j int) bool { return s[i].ParkID < s[j].ParkID })
	}
	for _, f := range in.Monitoring.Firms {
		if e.firms[f.Year] == nil {
			e.firms[f.Year] = map[string][]planner.FirmYear{}
		}
		e.firms[f.Year][f.ParkID] = append(e.firms[f.Year][f.ParkID], f)
	}
	if in.Plan != nil {
		for _, x := range in.Dataset.Enterprises {
			e.ents[x.ID] = x
		}
		for _, p := range in.Plan.Parks {
			e.planParks[p.ParcelID] = p
		}
		for _, a := range in.Plan.Assignments {
			e.planFirms[a.ParcelID] = append(e.planFirms[a.ParcelID], e.ents[a.EnterpriseID])
		}
	}
	return e
}

func (e *evaluator) parkYearOf(year int, id string) (planner.ParkYear, bool) {
	for _, py := range e.parkYears[year] {
		if py.ParkID == id {
			return py, true
		}
	}
	return planner.ParkYear{}, false
}

// related reports whether industry counts toward a park of specialty spec.
func (e *evaluator) related(spec, industry string) bool {
	if spec == industry {
		return true
	}
	for _, r := range e.inds[spec].Related {
		if r == industry {
			return true
		}
	}
	return false
}

// specialty is the park's specialty: the parcel's, else the plan's.
func (e *evaluator) specialty(p planner.Parcel) string {
	if p.Specialty != "" {
		return p.Specialty
	}
	return e.planParks[p.ID].Specialty
}

func f64(v float64) *float64 { return &v }
func boolp(v bool) *bool     { return &v }

// park evaluates one park-year.
func (e *evaluator) park(py planner.ParkYear) (*Park, error) {
	p, ok := e.parcels[py.ParkID]
	if !ok {
		return nil, planner.Errorf(planner.EINVALID, "monitoring %d: park %s is not a parcel of the dataset", py.Year, py.ParkID)
	}
	sc := e.in.Scenario
	spec := e.specialty(p)
	firms := e.firms[py.Year][py.ParkID]
	out := &Park{ParkID: p.ID, Name: p.Name, Town: p.Town, Specialty: spec, Tier: planner.TierOf(p.AreaMu), AreaMu: p.AreaMu, Firms: len(firms)}
	var related, small, floor, relFloor, output, tax float64
	for _, f := range firms {
		floor += f.FloorM2
		output += f.OutputWan
		tax += f.TaxWan
		if e.related(spec, f.Industry) {
			related++
			relFloor += f.FloorM2
		}
		if f.Size.SmallMicro() {
			small++
		}
		if why := admissionFailure(f, sc); why != "" {
			out.Below = append(out.Below, FirmFailure{FirmID: f.FirmID, Reason: why})
		}
	}
	out.FloorM2 = floor
	n := float64(len(firms))
	share := func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	}
	capacity := p.AreaMu * planner.MuM2 * p.FAR * sc.UsableShare
	required := planner.RequiredFacilities(out.Tier)
	have := map[planner.Facility]bool{}
	for _, f := range py.Facilities {
		have[f] = true
	}
	for _, f := range required {
		if !have[f] {
			out.Missing = append(out.Missing, string(f))
		}
	}
	values := map[string]float64{
		IndOccupancy:           share(floor, floor+py.FloorVacantM2),
		IndSpecialtyShareFirms: share(related, n),
		IndSpecialtyShareFloor: share(relFloor, floor),
		IndSmallMicroShare:     share(small, n),
		IndOutputPerMu:         output / p.AreaMu,
		IndTaxPerMu:            tax / p.AreaMu,
		IndFacilities:          share(float64(len(required)-len(out.Missing)), float64(len(required))),
		IndFloorUse:            share(floor, capacity),
	}
	rules := map[string]float64{
		IndSpecialtyShareFirms: sc.SpecialtyShareFirms,
		IndSpecialtyShareFloor: sc.SpecialtyShareFloor,
		IndSmallMicroShare:     sc.SmallMicroShare,
		IndFacilities:          1,
		IndFloorUse:            1, // a maximum
	}
	if sc.MinOutputPerMu > 0 {
		rules[IndOutputPerMu] = sc.MinOutputPerMu
	}
	if sc.MinTaxPerMu > 0 {
		rules[IndTaxPerMu] = sc.MinTaxPerMu
	}
	promise := e.promise(p, spec)
	out.PlanFigure = promise
	var num, den float64
	for _, name := range indicatorOrder {
		v := values[name]
		ind := Indicator{Name: name, Value: v}
		if r, ok := rules[name]; ok {
			ind.Rule = f64(r)
			if name == IndFloorUse {
				ind.Meets = boolp(v <= r+shareTol)
			} else {
				ind.Meets = boolp(v >= r-shareTol)
			}
		}
		if promise != nil && promise.Entrants > 0 {
			switch name {
			case IndSpecialtyShareFirms:
				ind.Plan = f64(promise.SpecialtyFirmShare)
			case IndSpecialtyShareFloor:
				ind.Plan = f64(promise.SpecialtyFloorShare)
			case IndSmallMicroShare:
				ind.Plan = f64(promise.SmallMicroShare)
			case IndOutputPerMu:
				ind.Plan = f64(promise.OutputPerMu)
			}
		}
		if s, ok := e.in.Rubric.Indicators[name]; ok {
			ind.Score = s.score(v)
			num += s.Weight * ind.Score
			den += s.Weight
		}
		out.Indicators = append(out.Indicators, ind)
	}
	out.Broken = e.broken(p, py, out, values, rules)
	out.Score = math.Round(1000*num/den) / 10
	out.Rating = e.in.Rubric.rate(out.Score, len(out.Broken) > 0)
	return out, nil
}

// broken lists the rules a park-year breaks, by code name (docs/model.md,
// docs/evaluation.md), with the figures.
func (e *evaluator) broken(p planner.Parcel, py planner.ParkYear, pk *Park, v, rules map[string]float64) []Violation {
	var out []Violation
	add := func(rule, format string, args ...any) {
		out = append(out, Violation{Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}
	if pk.Firms > 0 {
		if v[IndSpecialtyShareFirms] < rules[IndSpecialtyShareFirms]-shareTol {
			add("ruleSpecialtyShare", "specialty %s and related: %.1f %% of firms, need %.0f %%", pk.Specialty, 100*v[IndSpecialtyShareFirms], 100*rules[IndSpecialtyShareFirms])
		}
		if v[IndSpecialtyShareFloor] < rules[IndSpecialtyShareFloor]-shareTol {
			add("ruleSpecialtyShare", "specialty %s and related: %.1f %% of floor, need %.0f %%", pk.Specialty, 100*v[IndSpecialtyShareFloor], 100*rules[IndSpecialtyShareFloor])
		}
		if v[IndSmallMicroShare] < rules[IndSmallMicroShare]-shareTol {
			add("ruleSmallMicroShare", "small/micro: %.1f %% of firms, need %.0f %%", 100*v[IndSmallMicroShare], 100*rules[IndSmallMicroShare])
		}
	}
	if v[IndFloorUse] > 1+shareTol {
		add("ruleCapacity", "firms occupy %.0f m², above the capacity %.0f m² (%.2f mu × FAR %.2f × usable %.2f)", pk.FloorM2, pk.FloorM2/v[IndFloorUse], p.AreaMu, p.FAR, e.in.Scenario.UsableShare)
	}
	if len(pk.Missing) > 0 {
		add("ruleTierFacilities", "%s tier (%.0f mu) lacks %s", pk.Tier, p.AreaMu, strings.Join(pk.Missing, ", "))
	}
	if len(pk.Below) > 0 {
		ids := make([]string, 0, 3)
		for _, f := range pk.Below[:min(3, len(pk.Below))] {
			ids = append(ids, f.FirmID+" ("+f.Reason+")")
		}
		add("ruleMuAdmission", "%d firms fail the admission rule: %s", len(pk.Below), strings.Join(ids, ", "))
	}
	return out
}

// promise is what the plan promised park p, nil without a plan or when
// the plan does not open the park.
func (e *evaluator) promise(p planner.Parcel, spec string) *PlanPromise {
	pp, ok := e.planParks[p.ID]
	if !ok {
		return nil
	}
	pr := &PlanPromise{OpenYear: pp.OpenYear, Firms: pp.Firms, Entrants: pp.Firms, SpecialtyFirmShare: pp.SpecialtyFirmShare,
		SpecialtyFloorShare: pp.SpecialtyFloorShare, SmallMicroShare: pp.SmallMicroShare, OutputPerMu: pp.OutputWan / p.AreaMu}
	if p.Kind.Locked() {
		pr.Firms += p.Firms
	}
	return pr
}

// admissionFailure says why a firm on record fails the scenario's
// 亩均效益 admission rule (its own figures that year: output and tax over
// its floor as land at FAR 1, as the model counts them), or "".
func admissionFailure(f planner.FirmYear, sc planner.Scenario) string {
	if min := sc.MinMuClass.Rank(); min > 0 && !sc.UpgradedMuClass && (f.MuClass.Rank() == 0 || f.MuClass.Rank() > min) {
		cls := string(f.MuClass)
		if cls == "" {
			cls = "none"
		}
		return fmt.Sprintf("class %s below %s", cls, sc.MinMuClass)
	}
	landMu := f.FloorM2 / planner.MuM2
	minOut, minTax := sc.MuThresholds(f.Industry)
	if out := f.OutputWan / landMu; out < minOut {
		return fmt.Sprintf("output %.0f per mu below %g", out, minOut)
	}
	if tax := f.TaxWan / landMu; tax < minTax {
		return fmt.Sprintf("tax %.1f per mu below %g", tax, minTax)
	}
	return ""
}
