package evaluate_test

import (
	"bytes"
	"image/png"
	"testing"

	"gonum.org/v1/plot/text"

	"github.com/parkplan/parkplan/planner/compliance/report"
	"github.com/parkplan/parkplan/planner/evaluate"
)

// TestTrendPNG draws the hand park's two years in English and with the
// installed CJK font (Debian fonts-noto-cjk, scripts/deps.sh): both are
// PNG pages, the Chinese one differs and its labels use the CJK face.
func TestTrendPNG(t *testing.T) {
	rep, err := evaluate.Evaluate(handInput(), 2021)
	if err != nil {
		t.Fatal(err)
	}
	f, path, err := report.FindCJKFont()
	if err != nil || f == nil {
		t.Fatalf("no CJK font in %v (install fonts-noto-cjk: scripts/deps.sh): %v", report.CJKFontPaths, err)
	}
	var en, zh bytes.Buffer
	if err := evaluate.WriteTrendPNG(&en, rep, nil); err != nil {
		t.Fatal(err)
	}
	if err := evaluate.WriteTrendPNG(&zh, rep, f); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"en": en.Bytes(), "zh": zh.Bytes()} {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r := img.Bounds(); r.Dx() < 800 || r.Dy() < 500 {
			t.Errorf("%s chart %v: too small for a page", name, r)
		}
	}
	if bytes.Equal(en.Bytes(), zh.Bytes()) {
		t.Errorf("chart with %s is the same as the English one", path)
	}
	p, err := evaluate.TrendChart(rep, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []text.Style{p.Title.TextStyle, p.X.Tick.Label} {
		h, ok := st.Handler.(text.Plain)
		if !ok || h.Fonts.Lookup(st.Font, st.Font.Size).Face != f {
			t.Errorf("labels not drawn with the CJK font (%+v)", st.Font)
		}
	}
}
