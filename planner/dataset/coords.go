package dataset

import (
	"fmt"
	"strconv"
)

// coordParser reads GeoJSON "coordinates" arrays (already known to be
// well-formed JSON: the decoder checked them) straight into float slices,
// several times faster than encoding/json's reflection on large rings.
type coordParser struct {
	b []byte
	i int
}

func (p *coordParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *coordParser) fail(want string) error {
	got := "end of input"
	if p.i < len(p.b) {
		got = fmt.Sprintf("%q", p.b[p.i])
	}
	return fmt.Errorf("want %s at byte %d of the coordinates, got %s", want, p.i, got)
}

// list parses '[' item (',' item)* ']' or '[]', calling item for each.
func (p *coordParser) list(item func() error) error {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '[' {
		return p.fail("'['")
	}
	p.i++
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.b) {
			return p.fail("',' or ']'")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return p.fail("',' or ']'")
		}
	}
}

func (p *coordParser) number() (float64, error) {
	p.ws()
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			p.i++
			continue
		}
		break
	}
	if start == p.i {
		return 0, p.fail("a number")
	}
	v, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	if err != nil {
		return 0, fmt.Errorf("number %s: %v", p.b[start:p.i], err)
	}
	return v, nil
}

// position parses [x, y, …] keeping every number.
func (p *coordParser) position() ([]float64, error) {
	var pos []float64
	err := p.list(func() error {
		v, err := p.number()
		pos = append(pos, v)
		return err
	})
	return pos, err
}

func (p *coordParser) ring() ([][]float64, error) {
	var r [][]float64
	err := p.list(func() error {
		pos, err := p.position()
		r = append(r, pos)
		return err
	})
	return r, err
}

func (p *coordParser) polygon() ([][][]float64, error) {
	var poly [][][]float64
	err := p.list(func() error {
		r, err := p.ring()
		poly = append(poly, r)
		return err
	})
	return poly, err
}

func (p *coordParser) multiPolygon() ([][][][]float64, error) {
	var mp [][][][]float64
	err := p.list(func() error {
		poly, err := p.polygon()
		mp = append(mp, poly)
		return err
	})
	return mp, err
}

// end checks nothing but space follows.
func (p *coordParser) end() error {
	p.ws()
	if p.i != len(p.b) {
		return p.fail("the end of the coordinates")
	}
	return nil
}

func parsePosition(b []byte) ([]float64, error) {
	p := &coordParser{b: b}
	v, err := p.position()
	if err == nil {
		err = p.end()
	}
	return v, err
}

func parsePolygon(b []byte) ([][][]float64, error) {
	p := &coordParser{b: b}
	v, err := p.polygon()
	if err == nil {
		err = p.end()
	}
	return v, err
}

func parseMultiPolygon(b []byte) ([][][][]float64, error) {
	p := &coordParser{b: b}
	v, err := p.multiPolygon()
	if err == nil {
		err = p.end()
	}
	return v, err
}
