package report

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parkplan/parkplan/planner/compliance"
)

// Chart size: one landscape A4-ish page at 96 dpi.
const (
	chartWidth  = 29 * vg.Centimeter
	chartHeight = 18 * vg.Centimeter
)

// Bar colours: quota grey, new land blue (red when the town is over its
// quota in some year), old-factory land green.
var (
	colourQuota = color.RGBA{R: 170, G: 170, B: 170, A: 255}
	colourUsed  = color.RGBA{R: 46, G: 109, B: 180, A: 255}
	colourOver  = color.RGBA{R: 200, G: 40, B: 40, A: 255}
	colourOld   = color.RGBA{R: 80, G: 160, B: 90, A: 255}
)

// WritePNG is ChartOptions{}.WritePNG: English town names.
func WritePNG(w io.Writer, r *compliance.Report) error { return ChartOptions{}.WritePNG(w, r) }

// WritePNG draws the one-page summary: for each town, its quota over the
// ledger's years beside the new land the plan uses and the old-factory
// land it renovates (mu), as grouped bars. Towns over quota in any year
// have their new-land bar in red and "(over)" after their name. Towns are
// labelled by Chinese name when o.CJK is set, otherwise by English name
// (gonum/plot's embedded fonts have no CJK glyphs), or by code when the
// name is missing.
func (o ChartOptions) WritePNG(w io.Writer, r *compliance.Report) error {
	p, err := o.Chart(r)
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(chartWidth, chartHeight, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// Chart builds the quota-versus-use bar chart of WritePNG.
func (o ChartOptions) Chart(r *compliance.Report) (*plot.Plot, error) {
	totals := townTotals(r)
	p := plot.New()
	years := ""
	if r.Ledger != nil && len(r.Ledger.Years) > 0 {
		ys := r.Ledger.Years
		years = fmt.Sprintf(", %d–%d", ys[0], ys[len(ys)-1])
	}
	p.Title.Text = "Land quota vs new land used per town" + years + " (mu)"
	if r.Source != "" {
		p.Title.Text += "\n" + r.Source
	}
	p.Y.Label.Text = "mu"
	p.Y.Min = 0
	if len(totals) == 0 {
		p.NominalX("(no towns)")
		return p, nil
	}
	quota := make(plotter.Values, len(totals))
	used := make(plotter.Values, len(totals))
	old := make(plotter.Values, len(totals))
	names := make([]string, len(totals))
	anyOver := false
	for i, t := range totals {
		quota[i], used[i], old[i] = t.QuotaMu, t.UsedMu, t.OldMu
		names[i] = t.NameEn
		if o.CJK != nil {
			names[i] = t.NameZh
		}
		if names[i] == "" {
			names[i] = t.Town
		}
		if t.Over {
			names[i] += " (over)"
			anyOver = true
		}
	}
	// Three bars a town fill about two thirds of the town's slot.
	width := (chartWidth - 3*vg.Centimeter) / vg.Length(4*len(totals))
	if width > vg.Points(18) {
		width = vg.Points(18)
	}
	top := 0.0
	for i := range totals {
		top = max(top, quota[i], used[i], old[i])
	}
	bars := make([]*plotter.BarChart, 3)
	for i, v := range []plotter.Values{quota, used, old} {
		b, err := plotter.NewBarChart(v, width)
		if err != nil {
			return nil, err
		}
		b.LineStyle.Width = 0
		b.Offset = vg.Length(i-1) * width
		bars[i] = b
		p.Add(b)
	}
	bars[0].Color, bars[1].Color, bars[2].Color = colourQuota, colourUsed, colourOld
	// Over-quota towns: redraw their new-land bar in red.
	if anyOver {
		over := make(plotter.Values, len(totals))
		for i, t := range totals {
			if t.Over {
				over[i] = t.UsedMu
			}
		}
		b, err := plotter.NewBarChart(over, width)
		if err != nil {
			return nil, err
		}
		b.LineStyle.Width = 0
		b.Color = colourOver
		b.Offset = 0
		p.Add(b)
		p.Legend.Add("new land used, over quota", b)
	}
	p.Legend.Add("quota (scenario)", bars[0])
	p.Legend.Add("new land used", bars[1])
	p.Legend.Add("old factory (no quota)", bars[2])
	p.Legend.Top = true
	p.X.Min, p.X.Max = -0.6, float64(len(totals))-0.4
	p.Y.Max = 1.25*top + 1 // room for the legend above the tallest bar
	p.NominalX(names...)
	if o.CJK != nil {
		p.X.Tick.Label.Handler = cjkHandler(o.CJK)
		p.X.Tick.Label.Font.Typeface = cjkTypeface
		p.X.Tick.Label.Font.Variant = "" // the font cache matches typeface and variant exactly
	}
	p.X.Tick.Label.Rotation = 0.8
	p.X.Tick.Label.XAlign = draw.XRight // the label ends under its bar group once rotated
	p.X.Tick.Label.YAlign = draw.YCenter
	p.Add(plotter.NewGrid())
	return p, nil
}
