package ogr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"

	"github.com/parkplan/parkplan/planner/dataset"
)

// A dumpRun is one ogr2ogr process writing one or more layers of one
// source (a GeoPackage, a File Geodatabase, a directory of Shapefiles) as
// a PostgreSQL dump on a pipe, and the goroutine that decodes it. Each
// layer is read as a FeatureStream of its own (a copyStream), in the
// order the run lists them: a mapping's layers are read one after the
// other, so one process serves them all and GDAL starts, loads its
// drivers and opens the file once per source instead of once per layer.
//
// The dump has a COPY block per layer with features (an empty layer has
// none; a layer of more than ogr2ogr's -gt features has several): the
// decoder tells the layers apart by the COPY's table, which is the
// layer's name (LAUNDER=NO; only layers without a '.' in their name, which
// GDAL would read as schema.table, share a run — see sharedName).
type dumpRun struct {
	ctx    context.Context
	source string   // the data source ogr2ogr opens
	opts   []string // its GDAL open options
	layers []*copyStream
	what   string // "ogr2ogr SOURCE LAYER…", in messages

	mu      sync.Mutex // guards started, startErr and each layer's opened, let
	started bool
	err     error // the start's error; after done, ogr2ogr's failure

	cmd    *exec.Cmd
	cancel context.CancelFunc
	stderr bytes.Buffer
	stop   chan struct{} // closed by close: the decoder stops sending
	halt   sync.Once
	done   chan struct{} // closed once the decoder has ended and ogr2ogr was waited for
}

// newDumpRun prepares (does not start) a run over source with opts; add
// its layers with add.
func newDumpRun(ctx context.Context, source string, opts []string) *dumpRun {
	return &dumpRun{ctx: ctx, source: source, opts: opts, stop: make(chan struct{}), done: make(chan struct{})}
}

// add appends layer l (what names it in messages) and returns its stream.
func (r *dumpRun) add(l Layer, what string) (*copyStream, error) {
	kinds := map[string]copyValueKind{}
	for _, f := range l.Fields {
		k, ok := copyKind(f.Type)
		if !ok {
			return nil, fmt.Errorf("%s: column %s of type %s has no binary form here", what, f.Name, f.Type)
		}
		kinds[f.Name] = k
	}
	s := &copyStream{run: r, index: len(r.layers), layer: l.Name, what: what, kinds: kinds,
		batches: make(chan copyBatchOf, 4), gone: make(chan struct{})}
	r.layers = append(r.layers, s)
	return s, nil
}

// has reports whether the run has a layer of this name.
func (r *dumpRun) has(name string) bool {
	for _, l := range r.layers {
		if l.layer == name {
			return true
		}
	}
	return false
}

// sharedName reports whether a layer of this name can share a run: GDAL
// writes it as the COPY's table unchanged (a '.' would make it
// schema.table).
func sharedName(name string) bool { return name != "" && !strings.Contains(name, ".") }

// StreamFeatures starts ogr2ogr writing layer l of the source at path as
// a PostgreSQL dump on a pipe and decodes its rows in a goroutine of
// their own (beside the validator that reads them): columns as JSON
// values by the types ogrinfo gave (BinaryFields must hold), geometries
// from EWKB in the layer's own CRS, 2D, curves linearised (as GDAL's
// GeoJSON writer does). Close stops ogr2ogr if the stream was not read to
// its end; a failed run's error carries GDAL's message.
func StreamFeatures(ctx context.Context, path string, l Layer, openOptions ...string) (dataset.FeatureStream, error) {
	r := newDumpRun(ctx, path, openOptions)
	s, err := r.add(l, fmt.Sprintf("ogr2ogr %s %s", path, l.Name))
	if err != nil {
		return nil, err
	}
	return r.open(s.index)
}

// start starts ogr2ogr and the decoder, once; r.mu is held.
func (r *dumpRun) start() error {
	if r.started {
		return r.err
	}
	r.started = true
	args := []string{"-f", "PGDump", "--config", "PG_USE_COPY", "YES",
		"-lco", "CREATE_TABLE=OFF", "-lco", "CREATE_SCHEMA=OFF", "-lco", "SPATIAL_INDEX=NONE", "-lco", "LAUNDER=NO",
		"-lco", "GEOMETRY_NAME=" + copyGeomColumn, "-lco", "FID=" + copyFIDColumn,
		"-dim", "XY", "-nlt", "GEOMETRY", "-nlt", "CONVERT_TO_LINEAR"}
	for _, o := range r.opts {
		args = append(args, "-oo", o)
	}
	args = append(args, "/vsistdout/", r.source)
	names := []string{"ogr2ogr", r.source}
	for _, l := range r.layers {
		args = append(args, l.layer)
		names = append(names, l.layer)
	}
	if len(r.layers) == 1 {
		r.what = r.layers[0].what
	} else {
		r.what = strings.Join(names, " ")
	}
	cmd, stdout, cancel, err := startOgr2ogr(r.ctx, args, &r.stderr, r.what)
	if err != nil {
		r.err, r.cancel = err, func() {}
		close(r.done)
		for _, l := range r.layers {
			close(l.batches)
		}
		return err
	}
	r.cmd, r.cancel = cmd, cancel
	go r.decode(stdout)
	return nil
}

// begin starts the run ahead of its first open (the processes then start
// while the caller prepares the rest); a failure is reported by open.
func (r *dumpRun) begin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.start()
}

// errOutOfOrder is open's answer for a layer the run has gone past.
var errOutOfOrder = errors.New("ogr: layer read out of the run's order")

// open returns layer i's stream, starting the run if it has not started.
// Layers before i never opened are let go (their rows are skipped). A
// layer opened before, or one the run has gone past, gets errOutOfOrder.
func (r *dumpRun) open(i int) (dataset.FeatureStream, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.layers[i]
	if s.opened || s.let {
		return nil, errOutOfOrder
	}
	for _, later := range r.layers[i+1:] {
		if later.opened {
			return nil, errOutOfOrder
		}
	}
	if err := r.start(); err != nil {
		return nil, err
	}
	s.opened = true
	for _, earlier := range r.layers[:i] {
		if !earlier.opened {
			earlier.letGo()
		}
	}
	return s, nil
}

// close stops the run: ogr2ogr is killed if still running, and its end
// waited for; nothing is reported.
func (r *dumpRun) close() {
	r.mu.Lock()
	started := r.started
	r.mu.Unlock()
	if !started {
		return
	}
	r.halt.Do(func() {
		close(r.stop)
		r.cancel()
	})
	<-r.done
}

// decode reads the dump and sends each layer's rows, decoded, to its
// stream in batches; it ends by waiting for ogr2ogr.
func (r *dumpRun) decode(stdout io.Reader) {
	cur := -1    // the layer whose rows come now
	closed := 0  // layers before this one have had their channel closed
	cut := false // the dump ended inside a layer's rows
	var failed error
	finish := func(upTo int, complete bool) { // close the channels of layers [closed, upTo)
		for ; closed < upTo; closed++ {
			r.layers[closed].complete = complete
			close(r.layers[closed].batches)
		}
	}
	send := func(s *copyStream, b copyBatchOf) bool {
		select {
		case s.batches <- b:
			return true
		case <-s.gone:
			return true // let go: dropped
		case <-r.stop:
			return false
		}
	}
	fail := func(err error) { // decoding failed: the current layer gets the error
		failed = err
		if cur >= 0 {
			send(r.layers[cur], copyBatchOf{err: err})
		}
	}
	br := bufio.NewReaderSize(stdout, 1<<20)
	var long []byte // a line longer than br's buffer
	var layout *copyLayout
	var batch []*dataset.SourceFeature
	row := 0
	inCopy, stopped := false, false
loop:
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, line...)
			continue
		}
		if long != nil {
			line = append(long, line...)
			long = nil
		}
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte("\n"))
			switch {
			case !inCopy && bytes.HasPrefix(line, []byte("COPY ")):
				table, c, perr := copyTarget(string(line))
				if perr != nil {
					fail(fmt.Errorf("%s: %v", r.what, perr))
					break loop
				}
				next := cur
				if next < 0 || r.layers[next].layer != table {
					next = -1
					for j := cur + 1; j < len(r.layers); j++ {
						if r.layers[j].layer == table {
							next = j
							break
						}
					}
				}
				if next < 0 {
					fail(fmt.Errorf("%s: the dump has rows of %q, not of a layer asked for", r.what, table))
					break loop
				}
				if next != cur {
					finish(next, true) // the layers between had no rows
					cur, row = next, 0
				}
				layout, inCopy = r.layers[cur].layout(c), true
			case inCopy && string(line) == `\.`:
				inCopy = false
				if len(batch) > 0 {
					if !send(r.layers[cur], copyBatchOf{features: batch}) {
						stopped = true
						break loop
					}
					batch = nil
				}
			case inCopy:
				s := r.layers[cur]
				if s.isGone() {
					row++
					continue
				}
				f, ferr := s.row(layout, line)
				if ferr != nil {
					fail(fmt.Errorf("row %d of %s: %v", row, s.what, ferr))
					break loop
				}
				row++
				if batch == nil {
					batch = make([]*dataset.SourceFeature, 0, copyBatch)
				}
				batch = append(batch, f)
				if len(batch) == copyBatch {
					if !send(s, copyBatchOf{features: batch}) {
						stopped = true
						break loop
					}
					batch = nil
				}
			}
		}
		if err == io.EOF {
			cut = inCopy // ogr2ogr stopped inside a COPY: its failure says why
			if len(batch) > 0 && !send(r.layers[cur], copyBatchOf{features: batch}) {
				stopped = true
			}
			break
		}
		if err != nil {
			fail(fmt.Errorf("%s: %v", r.what, err))
			break
		}
	}
	if failed != nil || stopped {
		r.halt.Do(func() { close(r.stop); r.cancel() })
	}
	werr := r.cmd.Wait()
	r.cancel()
	switch {
	case failed != nil:
		r.err = failed
	case stopped:
		// stopped by close: not reported
	case werr != nil:
		r.err = fmt.Errorf("%s failed (%v): %s", r.what, werr, strings.TrimSpace(r.stderr.String()))
	}
	if r.err != nil || stopped || cut {
		finish(max(cur, 0), true)
		finish(len(r.layers), false)
	} else {
		finish(len(r.layers), true) // the rest had no rows
	}
	close(r.done)
}

// copyTarget reads the table and column names of a dump's COPY line:
// COPY "schema"."table" ("a", "b") FROM STDIN;
func copyTarget(line string) (string, []string, error) {
	cols, err := copyColumns(line)
	if err != nil {
		return "", nil, err
	}
	rest := strings.TrimPrefix(line, "COPY ")
	var parts []string
	for len(rest) > 0 && rest[0] == '"' {
		name, n, ok := quotedName(rest)
		if !ok {
			return "", nil, fmt.Errorf("unexpected COPY line %.80q", line)
		}
		parts = append(parts, name)
		rest = rest[n:]
		if !strings.HasPrefix(rest, ".") {
			break
		}
		rest = rest[1:]
	}
	if len(parts) == 0 {
		return "", nil, fmt.Errorf("unexpected COPY line %.80q", line)
	}
	return parts[len(parts)-1], cols, nil
}

// quotedName reads the double-quoted identifier s starts with and returns
// it with the bytes it took.
func quotedName(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '"' {
			if i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			return b.String(), i + 1, true
		}
		b.WriteByte(s[i])
	}
	return "", 0, false
}

// copyBatchOf is decoded features, or the error that ended the decoding.
type copyBatchOf struct {
	features []*dataset.SourceFeature
	err      error
}

// copyStream is one layer of a dumpRun, as a FeatureStream.
type copyStream struct {
	run     *dumpRun
	index   int    // in run.layers
	layer   string // its name in the source
	what    string // "ogr2ogr SOURCE LAYER", in messages
	kinds   map[string]copyValueKind
	wkb     []byte           // the decoder's buffer for a row's EWKB
	batches chan copyBatchOf // closed by the decoder after the layer's last rows
	gone    chan struct{}    // closed when the reader lets go of the layer

	opened, let bool // guarded by run.mu
	complete    bool // the dump had all the layer's rows; read after batches is closed
	goneOnce    sync.Once

	cur  []*dataset.SourceFeature
	eof  bool
	err  error
	once sync.Once
	cerr error
}

// letGo tells the decoder to skip the layer's rows; run.mu is held.
func (s *copyStream) letGo() {
	s.let = true
	s.goneOnce.Do(func() { close(s.gone) })
}

func (s *copyStream) isGone() bool {
	select {
	case <-s.gone:
		return true
	default:
		return false
	}
}

// Next returns the next decoded feature.
func (s *copyStream) Next() (*dataset.SourceFeature, error) {
	for len(s.cur) == 0 {
		if s.eof || s.err != nil {
			if s.err != nil {
				return nil, s.err
			}
			return nil, io.EOF
		}
		b, ok := <-s.batches
		switch {
		case !ok:
			s.eof = true
		case b.err != nil:
			s.err = b.err
		default:
			s.cur = b.features
		}
	}
	f := s.cur[0]
	s.cur = s.cur[1:]
	return f, nil
}

// Close lets go of the layer. Read to its end, it reports ogr2ogr's
// failure when the layer is the run's last or its rows were cut short;
// stopped early, it kills ogr2ogr if no later layer of the run is still
// to come, and reports nothing.
func (s *copyStream) Close() error {
	s.once.Do(func() {
		r := s.run
		last := s.index == len(r.layers)-1
		if s.eof {
			if last || !s.complete {
				<-r.done
				s.cerr = r.err
				if s.cerr == nil && !s.complete {
					s.cerr = fmt.Errorf("%s: the dump ended before the layer's last row", s.what)
				}
			}
			return
		}
		r.mu.Lock()
		s.letGo()
		r.mu.Unlock()
		if last {
			r.close()
		}
	})
	return s.cerr
}
