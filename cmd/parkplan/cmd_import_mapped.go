package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/parkplan/parkplan/ogr"
	"github.com/parkplan/parkplan/planner/dataset"
)

// importMapped imports (or with check, only validates) the sources a
// mapping file names, through the same validator and transaction as a
// dataset directory. For an import, the sources are opened (ogrinfo) and
// their GDAL processes started while the database is opened, migrated
// and the import's transaction prepared.
func importMapped(ctx context.Context, mappingFile, dbURL, by string, check bool, opt dataset.Options, stdout io.Writer) error {
	start := time.Now()
	m, err := dataset.LoadMapping(mappingFile)
	if err != nil {
		return err
	}
	if check {
		src, err := ogr.Sources(ctx, m)
		if err != nil {
			return err
		}
		h, contentHash := dataset.ContentHash(dataset.Handler{})
		n, err := dataset.ReadSources(src, opt, h)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: the sources are valid (checked in %.1f s): %s; content sha256 %s\n",
			mappingFile, time.Since(start).Seconds(), countsText(n), contentHash())
		return nil
	}
	type opened struct {
		src dataset.Sources
		err error
	}
	sources := make(chan opened, 1)
	go func() {
		src, err := ogr.Sources(ctx, m)
		if err == nil && src.Start != nil {
			src.Start()
		}
		sources <- opened{src, err}
	}()
	got := sync.OnceValue(func() opened { return <-sources })
	defer func() {
		if o := got(); o.src.Close != nil {
			o.src.Close() // streams never read (ReadSources closes them too)
		}
	}()
	db, err := openMigrated(ctx, dbURL)
	if err != nil {
		if o := got(); o.err != nil {
			return o.err // the sources' fault first, as without a database
		}
		return err
	}
	defer db.Close()
	n, err := db.ImportFrom(ctx, mappingFile, by, func(h dataset.Handler) (dataset.Counts, error) {
		o := got()
		if o.err != nil {
			return dataset.Counts{}, o.err
		}
		return dataset.ReadSources(o.src, opt, h)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s in %.1f s: %s\n", mappingFile, time.Since(start).Seconds(), countsText(n))
	return nil
}

// suggestMapping writes a starting mapping for the county's source src.
func suggestMapping(ctx context.Context, src, out string, stdout io.Writer) error {
	layers, err := ogr.Describe(ctx, src)
	if err != nil {
		return err
	}
	relTo, _ := os.Getwd()
	if out != "" {
		relTo = filepath.Dir(out)
	}
	if abs, err := filepath.Abs(relTo); err == nil {
		relTo = abs
	}
	for i := range layers {
		if abs, err := filepath.Abs(layers[i].Source); err == nil {
			layers[i].Source = abs
		}
	}
	b := dataset.SuggestMapping(layers, relTo)
	if out == "" {
		_, err := stdout.Write(b)
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: check it, then parkplan import --mapping %s\n", out, out)
	return nil
}
