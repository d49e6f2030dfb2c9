package evaluate

import (
	"fmt"
	"image/color"
	"io"
	"sort"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parkplan/parkplan/planner/compliance/report"
)

// Trend chart size: a landscape page at 96 dpi.
const (
	trendWidth  = 29 * vg.Centimeter
	trendHeight = 18 * vg.Centimeter
)

// yearColours colour the years' bars, oldest first (then repeat).
var yearColours = []color.RGBA{{R: 170, G: 170, B: 170, A: 255}, {R: 46, G: 109, B: 180, A: 255}, {R: 80, G: 160, B: 90, A: 255}, {R: 230, G: 150, B: 40, A: 255}}

// WriteTrendPNG draws each park's score by year (its history up to the
// report's year) as grouped bars, one colour a year, parks labelled by
// name and id. With cjk (a font with Chinese glyphs, e.g.
// report.FindCJKFont) the title and labels are in Chinese; without, in
// English with park ids.
func WriteTrendPNG(w io.Writer, rep *Report, cjk *opentype.Font) error {
	p, err := TrendChart(rep, cjk)
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(trendWidth, trendHeight, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// TrendChart builds the chart of WriteTrendPNG.
func TrendChart(rep *Report, cjk *opentype.Font) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Park evaluation score by year, to %d (rubric %s; not an official standard)", rep.Year, rep.Rubric)
	p.Y.Label.Text = "score (0–100)"
	names := make([]string, len(rep.Parks))
	for i, pk := range rep.Parks {
		names[i] = pk.ParkID
	}
	if cjk != nil {
		p.Title.Text = fmt.Sprintf("园区评价得分（截至%d年；评分规则 %s，非官方标准）", rep.Year, rep.Rubric)
		p.Y.Label.Text = "得分（0–100）"
		for i, pk := range rep.Parks {
			if pk.Name != "" {
				names[i] = pk.Name
			}
		}
		report.UseCJK(&p.Title.TextStyle, cjk)
		report.UseCJK(&p.Y.Label.TextStyle, cjk)
		report.UseCJK(&p.X.Tick.Label, cjk)
		report.UseCJK(&p.Legend.TextStyle, cjk)
	}
	p.Y.Min, p.Y.Max = 0, 115 // room for the legend above 100
	if len(rep.Parks) == 0 {
		p.NominalX("(no parks)")
		return p, nil
	}
	yearSet := map[int]bool{}
	for _, pk := range rep.Parks {
		for _, h := range pk.History {
			yearSet[h.Year] = true
		}
	}
	var years []int
	for y := range yearSet {
		years = append(years, y)
	}
	sort.Ints(years)
	width := (trendWidth - 3*vg.Centimeter) / vg.Length((len(years)+1)*len(rep.Parks))
	width = min(width, vg.Points(16))
	for yi, y := range years {
		vals := make(plotter.Values, len(rep.Parks))
		for i, pk := range rep.Parks {
			for _, h := range pk.History {
				if h.Year == y {
					vals[i] = h.Score
				}
			}
		}
		b, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, err
		}
		b.LineStyle.Width = 0
		b.Color = yearColours[yi%len(yearColours)]
		b.Offset = vg.Length(float64(yi)-float64(len(years)-1)/2) * width
		p.Add(b)
		label := fmt.Sprint(y)
		if cjk != nil {
			label += "年"
		}
		p.Legend.Add(label, b)
	}
	p.Legend.Top = true
	p.X.Min, p.X.Max = -0.6, float64(len(rep.Parks))-0.4
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.8
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.Add(plotter.NewGrid())
	return p, nil
}
