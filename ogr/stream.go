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
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, "ogr2ogr", args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	s := &stream{cmd: cmd, stdout: stdout, cancel: cancel, what: fmt.Sprintf("ogr2ogr %s %s", path, layer)}
	cmd.Stderr = &s.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("%s: %w (gdal-bin is needed: scripts/deps.sh installs it)", s.what, err)
	}
	return s, nil
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
