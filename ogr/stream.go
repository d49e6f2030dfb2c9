package ogr

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
)

// Stream starts ogr2ogr writing layer of the source at path as a GeoJSON
// FeatureCollection on a pipe, in the layer's own CRS (no reprojection:
// the "crs" member names it when GDAL knows its EPSG code) and columns,
// coordinates at full precision. Close stops the process if the stream
// was not read to its end; the error of a failed run carries GDAL's
// message.
func Stream(ctx context.Context, path, layer string, openOptions ...string) (io.ReadCloser, error) {
	args := []string{"-f", "GeoJSON", "-lco", "RFC7946=NO", "-lco", "WRITE_NAME=NO"}
	for _, o := range openOptions {
		args = append(args, "-oo", o)
	}
	args = append(args, "/vsistdout/", path, layer)
	s := &stream{what: fmt.Sprintf("ogr2ogr %s %s", path, layer)}
	var err error
	if s.cmd, s.stdout, s.cancel, err = startOgr2ogr(ctx, args, &s.stderr, s.what); err != nil {
		return nil, err
	}
	return s, nil
}

// startOgr2ogr starts ogr2ogr with args, its stderr into stderr; cancel
// kills it. what names the run in errors.
func startOgr2ogr(ctx context.Context, args []string, stderr *bytes.Buffer, what string) (*exec.Cmd, io.ReadCloser, context.CancelFunc, error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, "ogr2ogr", args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, nil, nil, fmt.Errorf("%s: %w (gdal-bin is needed: scripts/deps.sh installs it)", what, err)
	}
	return cmd, stdout, cancel, nil
}

type stream struct {
	cmd    *exec.Cmd
	stdout io.ReadCloser
	cancel context.CancelFunc
	stderr bytes.Buffer
	what   string
	eof    bool
	once   sync.Once
	err    error
}

func (s *stream) Read(p []byte) (int, error) {
	n, err := s.stdout.Read(p)
	if err == io.EOF {
		s.eof = true
	}
	return n, err
}

// Close waits for ogr2ogr; one stopped early is killed, not reported.
func (s *stream) Close() error {
	s.once.Do(func() {
		if !s.eof {
			s.cancel()
		}
		err := s.cmd.Wait()
		s.cancel()
		if err != nil && s.eof {
			s.err = fmt.Errorf("%s failed (%v): %s", s.what, err, strings.TrimSpace(s.stderr.String()))
		}
	})
	return s.err
}
