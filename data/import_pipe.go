package data

import (
	"sync/atomic"

	"github.com/parkplan/parkplan/planner/dataset"
)

// pipeDepth is how many records the reader may run ahead of the database
// side of an import: enough to keep both goroutines busy, few enough that
// memory stays that of a few hundred features.
const pipeDepth = 256

// A pipe runs the database side of an import (content hash, EWKB, COPY
// rows) on a goroutine of its own, beside the reader and validator, so
// that the two use two cores. Records reach the database side in the
// order read, so the hash and the COPY line of each record are what they
// were on one goroutine.
type pipe struct {
	work    chan func() error
	done    chan struct{} // closed when the database side has stopped
	err     error         // its first error; read after done is closed
	abandon atomic.Bool   // the read failed: skip what is still queued
}

// newPipe starts the database side.
func newPipe() *pipe {
	p := &pipe{work: make(chan func() error, pipeDepth), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for f := range p.work {
			if p.abandon.Load() {
				continue
			}
			if err := f(); err != nil {
				p.err = err
				return
			}
		}
	}()
	return p
}

// handler returns a Handler that queues each record for h's funcs. A
// queued record's call fails the next hand-over, which stops the reader.
func (p *pipe) handler(h dataset.Handler) dataset.Handler {
	return dataset.Handler{
		Industry:   piped(p, h.Industry),
		County:     piped(p, h.County),
		Town:       piped(p, h.Town),
		Quota:      piped(p, h.Quota),
		Parcel:     piped(p, h.Parcel),
		Protected:  piped(p, h.Protected),
		Enterprise: piped(p, h.Enterprise),
	}
}

func piped[T any](p *pipe, fn func(T) error) func(T) error {
	if fn == nil {
		return nil
	}
	return func(x T) error {
		select {
		case <-p.done:
			return p.err
		default:
		}
		select {
		case p.work <- func() error { return fn(x) }:
			return nil
		case <-p.done:
			return p.err
		}
	}
}

// close waits for the database side to finish what is queued — or, when
// readErr is not nil, to drop it — and returns the database side's error.
func (p *pipe) close(readErr error) error {
	if readErr != nil {
		p.abandon.Store(true)
	}
	close(p.work)
	<-p.done
	return p.err
}
