package main

import (
	"context"
	"errors"
	"io"
)

// runCheck implements `parkplan check`. (placeholder: owned by the helper that builds it)
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("check: not built yet")
}
