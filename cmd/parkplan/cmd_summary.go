package main

import (
	"context"
	"errors"
	"io"
)

// runSummary implements `parkplan summary`. (placeholder: owned by the helper that builds it)
func runSummary(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("summary: not built yet")
}
