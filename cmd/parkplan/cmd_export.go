package main

import (
	"context"
	"errors"
	"io"
)

// runExport implements `parkplan export`. (placeholder: owned by the helper that builds it)
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("export: not built yet")
}
