package report

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
)

// CJKFontPaths are where Debian's CJK fonts live (fonts-noto-cjk,
// fonts-wqy-microhei), tried in order by FindCJKFont.
var CJKFontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}

// cjkTypeface is the typeface name the chart's tick labels ask for.
const cjkTypeface = "parkplan-cjk"

// ChartOptions configure the PNG chart. The zero value draws with
// gonum/plot's embedded Liberation fonts and labels towns in English.
type ChartOptions struct {
	// CJK is a font with Chinese glyphs; when set, towns are labelled by
	// their Chinese names (name_zh).
	CJK *opentype.Font
}

// FindCJKFont loads the first font of CJKFontPaths that exists, choosing
// the Simplified Chinese face of a collection when it has one. It returns
// nil and no error when none is installed (charts then use English names).
func FindCJKFont() (*opentype.Font, string, error) {
	for _, p := range CJKFontPaths {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return nil, "", err
		}
		f, err := pickSC(b)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
		return f, p, nil
	}
	return nil, "", nil
}

// pickSC parses a font file or collection and returns its Simplified
// Chinese face (family name ending in "SC"), or its first face.
func pickSC(b []byte) (*opentype.Font, error) {
	coll, err := opentype.ParseCollection(b)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	for i := 0; i < coll.NumFonts(); i++ {
		f, err := coll.Font(i)
		if err != nil {
			return nil, err
		}
		name, err := f.Name(&buf, sfnt.NameIDFamily)
		if err == nil && strings.HasSuffix(strings.TrimSpace(name), " SC") {
			return f, nil
		}
	}
	return coll.Font(0)
}

// cjkHandler is a text handler whose fonts include the CJK face under cjkTypeface.
func cjkHandler(f *opentype.Font) text.Handler {
	cache := font.NewCache(liberation.Collection())
	cache.Add(font.Collection{{Font: font.Font{Typeface: cjkTypeface}, Face: f}})
	return text.Plain{Fonts: cache}
}

// UseCJK makes a text style draw with the CJK font f (for the labels of
// other parkplan charts, e.g. planner/evaluate's trend chart).
func UseCJK(st *text.Style, f *opentype.Font) {
	st.Handler = cjkHandler(f)
	st.Font.Typeface = cjkTypeface
	st.Font.Variant = "" // the font cache matches typeface and variant exactly
}
