package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// webTileStats is window.parkplan.tiles() of one layer.
type webTileStats struct {
	Tiles, Features, Failed int
	LastError               string
}

// TestMapPageTiles opens the map page on the 100,000-parcel county: above
// the server's map_tiles_above (20,000 by default) the page draws the
// parcels and the shown scenario's candidate parcels (50,000) from vector
// tiles loaded for the view, not as one download, and a pan loads the new
// view's tiles.
func TestMapPageTiles(t *testing.T) {
	env := newOGCEnvSized(t, tileParcels)
	br := newWebBrowser(t)
	start := time.Now()
	if err := chromedp.Do(br.ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(env.url+"/")); err != nil {
		t.Fatal(err)
	}
	br.waitJS(t, `window.parkplan && window.parkplan.ready()`, 60*time.Second)
	var sel struct{ A string }
	br.eval(t, `(() => ({A: window.parkplan.selected().a}))()`, &sel)
	if sel.A != "base" {
		t.Fatalf("scenario shown %q, want base", sel.A)
	}
	tilesOf := func(layer string) webTileStats {
		var s map[string]webTileStats
		br.eval(t, `window.parkplan.tiles()`, &s)
		p, ok := s[layer]
		if !ok {
			t.Fatalf("%s are not tiled: tiled layers %v", layer, s)
		}
		return p
	}
	tiles := func() webTileStats { return tilesOf("parcels") }
	// The county view is zoomed out below the tiled layer's first zoom:
	// the towns draw, the 100,000 parcels wait for a closer view.
	county := tiles()
	t.Logf("county view ready in %v: %+v", time.Since(start).Round(time.Millisecond), county)
	if county.Tiles != 0 || county.Failed > 0 {
		t.Errorf("county view loaded parcel tiles: %+v", county)
	}
	if c := tilesOf("candidates"); c.Tiles != 0 || c.Failed > 0 {
		t.Errorf("county view loaded candidate tiles: %+v", c)
	}
	if counts := br.counts(t); counts["towns"] != 4 {
		t.Errorf("counts %v: want 4 towns", counts)
	}

	// Zoom into the county's middle, then pan to its north-east: each view
	// loads its tiles, with the parcels in them.
	var last, lastCand webTileStats
	for i, v := range []struct {
		lon, lat float64
		zoom     int
	}{{121.2, 30.2, 14}, {121.33, 30.33, 15}} {
		moved := time.Now()
		br.eval(t, fmt.Sprintf(`window.parkplan.center(%g, %g, %d)`, v.lon, v.lat, v.zoom), nil)
		br.waitJS(t, fmt.Sprintf(`window.parkplan.tiles().parcels.tiles > %d`, last.Tiles), 30*time.Second)
		br.eval(t, `window.parkplan.rendered()`, nil)
		now := tiles()
		t.Logf("view %d (zoom %d) drawn in %v: %+v", i+1, v.zoom, time.Since(moved).Round(time.Millisecond), now)
		if now.Failed > 0 || now.Features-last.Features < 100 {
			t.Errorf("view %d: %+v (before %+v): want tiles with parcels, no failure", i+1, now, last)
		}
		if counts := br.counts(t); counts["parcels"] != now.Features {
			t.Errorf("counts %v: want the tiles' %d parcels", counts, now.Features)
		}
		cand := tilesOf("candidates")
		if cand.Failed > 0 || cand.Features-lastCand.Features < 50 {
			t.Errorf("view %d: candidate tiles %+v (before %+v): want tiles with candidates, no failure", i+1, cand, lastCand)
		}
		br.screenshot(t, fmt.Sprintf("map-tiles-view%d.png", i+1))
		last, lastCand = now, cand
	}
	var pageErrs []string
	br.eval(t, `window.parkplan.errors()`, &pageErrs)
	if errs := append(pageErrs, br.errors()...); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}
