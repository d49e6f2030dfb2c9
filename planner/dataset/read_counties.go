package dataset

import (
	"io"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/planner"
)

// readCounties reads counties.geojson: one feature per county with its
// code, names, prefecture, seat and boundary.
func (rd *reader) readCounties(r io.Reader) error {
	seen := newIDs()
	seat, err := rd.seatTransform()
	if err != nil {
		return err
	}
	cr := &collectionReader{file: FileCounties, opt: rd.opt, errs: rd.errs}
	return cr.read(r, func(i int, f *rawFeature, tr *transform) error {
		p, ok := rd.beginFeature(FileCounties, i, f, "code", seen)
		if !ok {
			return nil
		}
		c := planner.County{Code: p.id}
		c.NameZh = p.str("name_zh")
		c.NameEn = p.optStr("name_en")
		c.Prefecture = p.str("prefecture")
		c.Seat = readSeat(p, seat)
		if mp, ok := rd.geom(p, tr).multiPolygon(f.Geometry); ok {
			c.Boundary = mp
		}
		if !p.ok {
			return nil
		}
		rd.counties[c.Code] = true
		rd.countyBounds[c.Code] = c.Boundary.Bound()
		rd.counts.Counties++
		return emit(rd, rd.h.County, c)
	})
}

// impliedCounty stands in for an absent counties.geojson: the data is one
// county, the implied planner.DefaultCounty, and every town is in it.
func (rd *reader) impliedCounty() error {
	c := planner.DefaultCounty()
	rd.noCounties = true
	rd.counties[c.Code] = true
	rd.counts.Counties++
	return emit(rd, rd.h.County, c)
}

// townCounty reads a town's county property: required when
// counties.geojson is present, optional (and then the default county)
// when it is absent; it must name a county read.
func (rd *reader) townCounty(p *props) string {
	code := planner.DefaultCountyCode
	switch {
	case rd.noCounties:
		if raw := p.get("county"); raw != nil {
			code = p.str("county")
		}
	default:
		code = p.str("county")
	}
	if !p.ok || rd.counties[code] || rd.incomplete[FileCounties] {
		return code
	}
	if rd.noCounties {
		p.bad("properties.county", "unknown county %q: %s is absent, so every town is in the default county %q; add %s listing %q",
			clip(code), FileCounties, planner.DefaultCountyCode, FileCounties, clip(code))
	} else {
		p.bad("properties.county", "unknown county %q (not in %s)", clip(code), FileCounties)
	}
	return code
}

// inCounty refuses a town (box b) farther than TownToleranceM outside the
// bounding box of its county (a surveyed county of counties.geojson; the
// implied county has no boundary): a town named in the wrong county, or a
// county drawn in the wrong place.
func (rd *reader) inCounty(p *props, county string, b orb.Bound) {
	cb, ok := rd.countyBounds[county]
	if !p.ok || !ok {
		return
	}
	outsideBox(p, "county "+county, cb, b, "check the town's county or the county's boundary")
}
