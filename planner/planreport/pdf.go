package planreport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoChromium is returned when no headless Chromium is found to print
// the report with.
var ErrNoChromium = errors.New("no Chromium found to print the PDF with (Debian: apt-get install chromium; or give its path with --chromium)")

// ChromiumNames are the executables FindChromium looks for on PATH, in order.
var ChromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// FindChromium returns path when it is given (it must be an executable
// file), otherwise the first of ChromiumNames on PATH; ErrNoChromium (with
// what was tried) when there is none.
func FindChromium(path string) (string, error) {
	if path != "" {
		st, err := os.Stat(path)
		if err != nil {
			return "", fmt.Errorf("chromium %s: %w: %w", path, err, ErrNoChromium)
		}
		if st.IsDir() || st.Mode()&0o111 == 0 {
			return "", fmt.Errorf("chromium %s is not an executable file: %w", path, ErrNoChromium)
		}
		return path, nil
	}
	for _, name := range ChromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("looked for %s on PATH: %w", strings.Join(ChromiumNames, ", "), ErrNoChromium)
}

// PrintPDF prints page (WriteHTML's output) to pdfPath with headless
// Chromium at chromium: A4 pages as the page's @page rule sets them, no
// browser header or footer (the page prints its own). The page is written
// to a temporary directory that also holds Chromium's profile; both are
// removed afterwards. ctx bounds the print.
func PrintPDF(ctx context.Context, chromium string, page []byte, pdfPath string) error {
	dir, err := os.MkdirTemp("", "parkplan-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "report.html")
	if err := os.WriteFile(src, page, 0o600); err != nil {
		return err
	}
	out, err := filepath.Abs(pdfPath)
	if err != nil {
		return err
	}
	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--no-pdf-header-footer",
		"--print-to-pdf=" + out, "file://" + src}
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root with its sandbox; the page is
		// parkplan's own, with no scripts and no outside resources.
		args = append([]string{"--no-sandbox"}, args...)
	}
	cmd := exec.CommandContext(ctx, chromium, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("chromium %s: printing the report to %s: %w", chromium, pdfPath, ctx.Err())
		}
		return fmt.Errorf("chromium %s: printing the report to %s: %v: %s", chromium, pdfPath, err, lastLines(stderr.String(), 5))
	}
	head := make([]byte, 5)
	f, err := os.Open(out)
	if err != nil {
		return fmt.Errorf("chromium %s wrote no PDF to %s: %w (its output: %s)", chromium, pdfPath, err, lastLines(stderr.String(), 5))
	}
	defer f.Close()
	if n, _ := f.Read(head); n < 5 || string(head) != "%PDF-" {
		return fmt.Errorf("chromium %s: %s is not a PDF (starts %q)", chromium, pdfPath, head[:n])
	}
	return nil
}

// lastLines returns the last n lines of s, joined by " | ".
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
