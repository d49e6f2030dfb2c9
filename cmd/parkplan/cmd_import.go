package main

import (
	"context"
	"errors"
	"io"
)

// runImport implements `parkplan import`. (placeholder: owned by the helper that builds it)
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("import: not built yet")
}
