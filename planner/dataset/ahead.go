package dataset

import (
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/paulmach/orb"

	"github.com/parkplan/parkplan/geo"
	"github.com/parkplan/parkplan/planner"
)

// The work of a decoded source's feature that does not depend on the
// features before it — the converter, the geometry's reading (CRS
// conversion, rings, OGC validity) and a parcel's ellipsoidal area — is
// done ahead, on worker goroutines, while the validator's sequential
// checks (ids, references, properties) go through the features in source
// order. The same functions run, only earlier: a geometry's faults are
// recorded by its worker and reported by the validator when it reads the
// geometry (geomReader), so the messages, their order and the first bad
// feature reported are those of a read on one goroutine.
const (
	// aheadBatch is how many features a worker converts and checks at once.
	aheadBatch = 64
	// aheadBatches is how many batches per worker may be in flight: memory
	// stays that of a few hundred features, whatever the file's size.
	aheadBatches = 2
)

// geomShape is the geometry a layer's features carry.
type geomShape int

const (
	shapeMultiPolygon geomShape = iota
	shapePoint
)

// geomCheck is a geometry read ahead by a worker, with what a
// geomReader reported on it.
type geomCheck struct {
	tr          *transform
	maxVertices int
	shape       geomShape
	mp          orb.MultiPolygon
	pt          orb.Point
	ok          bool
	faults      []geomFault
	area        float64 // geo.AreaMu(mp) for a parcel, when area is set
	hasArea     bool
}

type geomFault struct{ field, msg string }

// precheck reads g ahead as shape with tr and maxVertices (the
// validator's reader then replays the result), and for withArea computes
// the area of a valid multipolygon.
func (g *rawGeometry) precheck(tr *transform, maxVertices int, shape geomShape, withArea bool) {
	if g == nil {
		return
	}
	c := &geomCheck{tr: tr, maxVertices: maxVertices, shape: shape}
	gr := &geomReader{tr: tr, maxVertices: maxVertices, bad: func(field, format string, args ...any) {
		c.faults = append(c.faults, geomFault{field, fmt.Sprintf(format, args...)})
	}}
	switch shape {
	case shapePoint:
		c.pt, c.ok = gr.point(g)
	default:
		c.mp, c.ok = gr.multiPolygon(g)
		if c.ok && withArea {
			c.area, c.hasArea = geo.AreaMu(c.mp), true
		}
	}
	g.checked = c
}

// ahead returns g's check done ahead for this reader and shape, or nil.
func (gr *geomReader) ahead(g *rawGeometry, shape geomShape) *geomCheck {
	if g == nil || g.checked == nil {
		return nil
	}
	c := g.checked
	if c.tr != gr.tr || c.maxVertices != gr.maxVertices || c.shape != shape {
		return nil
	}
	for _, f := range c.faults {
		gr.bad(f.field, "%s", f.msg)
	}
	return c
}

// areaMu is geo.AreaMu of a parcel's geometry mp, read from g: computed
// ahead when it was.
func areaMu(g *rawGeometry, mp orb.MultiPolygon) float64 {
	if g != nil && g.checked != nil && g.checked.hasArea {
		return g.checked.area
	}
	return geo.AreaMu(mp)
}

// prepare returns what the workers do ahead for one of layer's features
// (after the converter): its geometry read with tr as the validator
// will read it.
func prepare(layer string, tr *transform, maxVertices int) func(*rawFeature) {
	shape := shapeMultiPolygon
	if layer == LayerEnterprises {
		shape = shapePoint
	}
	return func(f *rawFeature) {
		f.Geometry.precheck(tr, maxVertices, shape, layer == LayerParcels)
	}
}

// aheadBatchOf is a batch of features of a decoded source: read in order
// by the producer, converted and prepared by a worker.
type aheadBatchOf struct {
	start   int // index in the source of in[0]
	in      []*SourceFeature
	out     []*rawFeature
	errs    []error // the converter's error of each feature
	readErr error   // the stream's error after in (io.EOF at its end)
	done    chan struct{}
}

// readAhead reads a decoded source (LayerSource.OpenFeatures): a
// producer reads the stream in batches, workers convert (conv) and
// prepare each batch's features, and each receives them in source order
// on the calling goroutine. It returns the read's error and the stream's
// Close error; the first fault in source order ends the read, whichever
// worker found it.
func readAhead(s LayerSource, conv *converter, prep func(*rawFeature), each func(*rawFeature) error) (error, error) {
	fs, err := s.OpenFeatures()
	if err != nil {
		return planner.FieldErrorf(s.Name, "%v", err), nil
	}
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *aheadBatchOf, workers*aheadBatches)
	order := make(chan *aheadBatchOf, workers*aheadBatches)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for j, sf := range b.in {
					out, err := conv.decoded(sf, b.start+j)
					if err == nil && prep != nil {
						prep(out)
					}
					b.out[j], b.errs[j] = out, err
				}
				close(b.done)
			}
		}()
	}
	produced := make(chan struct{})
	go func() { // the producer: the only reader of fs until it ends
		defer close(produced)
		defer close(order)
		defer close(work)
		for n := 0; ; {
			b := &aheadBatchOf{start: n, in: make([]*SourceFeature, 0, aheadBatch), done: make(chan struct{})}
			for len(b.in) < aheadBatch && b.readErr == nil {
				sf, err := fs.Next()
				if err != nil {
					b.readErr = err
					break
				}
				b.in = append(b.in, sf)
			}
			n += len(b.in)
			b.out, b.errs = make([]*rawFeature, len(b.in)), make([]error, len(b.in))
			select {
			case order <- b:
			case <-stop:
				return
			}
			work <- b // workers drain work until it is closed
			if b.readErr != nil {
				return
			}
		}
	}()
	finish := func(err error) (error, error) {
		close(stop)
		for range order { // let the producer end
		}
		<-produced
		wg.Wait()
		return err, fs.Close()
	}
	for b := range order {
		<-b.done
		for j, out := range b.out {
			if err := b.errs[j]; err != nil {
				return finish(err)
			}
			if err := each(out); err != nil {
				return finish(err)
			}
		}
		if b.readErr != nil && b.readErr != io.EOF {
			return finish(planner.FieldErrorf(s.Name, "feature %d: %v", b.start+len(b.in), b.readErr))
		}
	}
	return finish(nil)
}
