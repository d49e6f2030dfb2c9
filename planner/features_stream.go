package planner

import (
	"io"
	"strconv"
)

// WriteCollection writes every feature of the collection q selects, page
// by page as read gives them (a FeatureStore's Items, or a difference layer's) (q.Limit features a page, from q.Offset), as one RFC 7946
// FeatureCollection named name: memory holds one page, which the store
// bounds. The total order by feature id makes the pages disjoint and
// complete; a page cut at the store's vertex limit (Truncated) is
// followed from its last feature. The first page is read before start
// is called for the writer, so an unknown collection or a bad query is
// returned before any byte is written (the API sets its headers in
// start); an error after that leaves w with a truncated document. n is
// the number of features written.
func WriteCollection(q ItemsQuery, name string, read func(ItemsQuery) (*FeaturePage, error), start func() (io.Writer, error)) (n int, err error) {
	page, err := read(q)
	if err != nil {
		return 0, err
	}
	w, err := start()
	if err != nil {
		return 0, err
	}
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","name":`+strconv.Quote(name)+`,"features":[`); err != nil {
		return 0, err
	}
	first := true
	for {
		if body := page.Features; len(body) > 2 {
			if !first {
				if _, err := w.Write([]byte{','}); err != nil {
					return n, err
				}
			}
			first = false
			if _, err := w.Write(body[1 : len(body)-1]); err != nil {
				return n, err
			}
		}
		n += page.Returned
		if page.Returned < q.Limit && !page.Truncated {
			break
		}
		q.Offset += page.Returned
		if page, err = read(q); err != nil {
			return n, err
		}
	}
	_, err = io.WriteString(w, "]}\n")
	return n, err
}
