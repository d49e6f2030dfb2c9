package ogr

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// ErrUnknownEncoding is returned (wrapped) for a DBF whose encoding
// cannot be told: no .cpg, no language driver id, and text that is
// neither UTF-8 nor GBK/GB18030.
var ErrUnknownEncoding = errors.New("unknown DBF encoding")

// GDAL's names of the encodings a mapping file may give.
const (
	encUTF8    = "UTF-8"
	encGBK     = "CP936"
	encGB18030 = "GB18030"
)

// normEncoding maps the ways a .cpg or a mapping names an encoding to
// GDAL's name, or "" when it is not one parkplan knows to be Chinese or
// UTF-8 (GDAL is then left to read the .cpg itself).
func normEncoding(s string) string {
	switch strings.ToUpper(strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.TrimSpace(s))) {
	case "UTF8", "65001":
		return encUTF8
	case "GBK", "CP936", "936", "GB2312", "ANSI936", "WINDOWS936", "CP20936":
		return encGBK
	case "GB18030", "54936":
		return encGB18030
	}
	return ""
}

// ldidGBK is the DBF language driver id (byte 29) of code page 936.
const ldidGBK = 0x4D

// dbfLDIDOffset is where a DBF header keeps its language driver id.
const dbfLDIDOffset = 29

// ShapefileEncoding says how GDAL is to read the DBF of the Shapefile at
// shp: the open option ENCODING=… to pass ("" to leave it to GDAL, which
// then reads the .cpg or the language driver id), and how it was found.
// mapped is the mapping file's encoding ("" if none). Without .cpg or
// language driver id the DBF's text is examined: UTF-8, or else GBK /
// GB18030 (a superset), or else ErrUnknownEncoding naming the column and
// record.
func ShapefileEncoding(shp, mapped string) (option, how string, err error) {
	base := strings.TrimSuffix(shp, filepath.Ext(shp))
	want := normEncoding(mapped)
	if mapped != "" && want == "" {
		return "", "", fmt.Errorf("%s: encoding %q in the mapping: use GBK, GB18030 or UTF-8", shp, mapped)
	}
	for _, ext := range []string{".cpg", ".CPG"} {
		b, err := os.ReadFile(base + ext)
		if err != nil {
			continue
		}
		cpg := strings.TrimSpace(string(b))
		got := normEncoding(cpg)
		switch {
		case want != "" && got != want:
			return "", "", fmt.Errorf("%s%s says %q but the mapping says encoding %q: they must agree (or remove one)", base, ext, cpg, mapped)
		case got != "":
			return "ENCODING=" + got, fmt.Sprintf("%s says %s", filepath.Base(base+ext), cpg), nil
		}
		return "", fmt.Sprintf("%s says %s (read by GDAL)", filepath.Base(base+ext), cpg), nil
	}
	if want != "" {
		return "ENCODING=" + want, "the mapping says " + mapped, nil
	}
	dbf := base + ".dbf"
	f, err := os.Open(dbf)
	if err != nil {
		return "", "", fmt.Errorf("%s: no DBF beside it: %v", shp, err)
	}
	defer f.Close()
	enc, err := sniffDBF(f)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", dbf, err)
	}
	if enc == "" {
		return "", "no .cpg; the DBF holds ASCII only", nil
	}
	return "ENCODING=" + enc, "no .cpg; the DBF's text reads as " + enc, nil
}

// sniffDBF tells a DBF's encoding from its language driver id or, when it
// has none, from its text: "" for ASCII only, UTF-8, or GB18030.
func sniffDBF(r io.Reader) (string, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head := make([]byte, 32)
	if _, err := io.ReadFull(br, head); err != nil {
		return "", fmt.Errorf("not a DBF: %v", err)
	}
	if head[dbfLDIDOffset] == ldidGBK {
		return encGBK, nil
	}
	nrec := int(binary.LittleEndian.Uint32(head[4:8]))
	hlen := int(binary.LittleEndian.Uint16(head[8:10]))
	rlen := int(binary.LittleEndian.Uint16(head[10:12]))
	if hlen < 33 {
		return "", fmt.Errorf("not a DBF: header length %d", hlen)
	}
	hdr := make([]byte, hlen-32)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return "", fmt.Errorf("truncated header: %v", err)
	}
	var names [][]byte
	var lens []int
	for off := 0; off+32 <= len(hdr) && hdr[off] != 0x0D; off += 32 {
		name := hdr[off : off+11]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		names = append(names, name)
		lens = append(lens, int(hdr[off+16]))
	}
	utf8OK, gbOK, ascii := true, true, true
	where := ""
	check := func(b []byte, at string) {
		for _, c := range b {
			if c >= 0x80 {
				ascii = false
				break
			}
		}
		if ascii {
			return
		}
		if utf8OK && !utf8.Valid(b) {
			utf8OK = false
		}
		if gbOK && !validGB18030(b) {
			gbOK = false
			where = at
		}
	}
	for i, n := range names {
		check(n, fmt.Sprintf("column %d's name", i+1))
	}
	rec := make([]byte, rlen)
	for k := 0; k < nrec && (utf8OK || gbOK); k++ {
		if _, err := io.ReadFull(br, rec); err != nil {
			break
		}
		off := 1 // deletion flag
		for i, n := range lens {
			if off+n > len(rec) {
				break
			}
			check(rec[off:off+n], fmt.Sprintf("record %d, column %d", k, i+1))
			off += n
		}
	}
	switch {
	case ascii:
		return "", nil
	case utf8OK:
		return encUTF8, nil
	case gbOK:
		return encGB18030, nil
	}
	return "", fmt.Errorf("%w: no .cpg and no language driver id, and the text is neither UTF-8 nor GBK/GB18030 (first bad bytes at %s): "+
		"add a .cpg naming the encoding, or set encoding: in the mapping's layer", ErrUnknownEncoding, where)
}

// validGB18030 reports whether b is well-formed GB18030 (and so GBK):
// ASCII, two-byte 81–FE + 40–7E/80–FE, or four-byte 81–FE 30–39 81–FE 30–39.
func validGB18030(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
		case c == 0x80 || c == 0xFF:
			return false
		case i+1 < len(b) && ((b[i+1] >= 0x40 && b[i+1] <= 0x7E) || (b[i+1] >= 0x80 && b[i+1] <= 0xFE)):
			i += 2
		case i+3 < len(b) && b[i+1] >= 0x30 && b[i+1] <= 0x39 && b[i+2] >= 0x81 && b[i+2] <= 0xFE && b[i+3] >= 0x30 && b[i+3] <= 0x39:
			i += 4
		default:
			return false
		}
	}
	return true
}
