package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// ogcTemplates are the minimal HTML views of the OGC API (f=html).
const ogcTemplates = `
{{define "head"}}<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{.}} · parkplan</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;font-size:.9rem}code{font-size:.85rem}</style></head><body>
<p><a href="/ogc?f=html">parkplan</a> · <a href="/collections?f=html">collections</a> · <a href="/conformance?f=html">conformance</a> · <a href="/api">API (OpenAPI)</a></p>{{end}}
{{define "foot"}}</body></html>{{end}}
{{define "links"}}<ul>{{range .}}<li><a href="{{.Href}}">{{if .Title}}{{.Title}}{{else}}{{.Rel}}{{end}}</a> <small>({{.Rel}}{{if .Type}}, {{.Type}}{{end}})</small></li>{{end}}</ul>{{end}}

{{define "landing"}}{{template "head" .Title}}<h1>{{.Title}}</h1><p>{{.Description}}</p>{{template "links" .Links}}{{template "foot"}}{{end}}

{{define "conformance"}}{{template "head" "Conformance"}}<h1>Conformance</h1><ul>{{range .conformsTo}}<li><code>{{.}}</code></li>{{end}}</ul>{{template "foot"}}{{end}}

{{define "collections"}}{{template "head" "Collections"}}<h1>Collections</h1>
<table><tr><th>id</th><th>title</th><th>geometry</th><th>items</th></tr>
{{range .Collections}}<tr><td><a href="/collections/{{.ID}}?f=html">{{.ID}}</a></td><td>{{.Title}}</td><td>{{.GeometryType}}</td>
<td><a href="/collections/{{.ID}}/items?f=html">HTML</a> · <a href="/collections/{{.ID}}/items?f=json">GeoJSON</a></td></tr>{{end}}</table>{{template "foot"}}{{end}}

{{define "collection"}}{{template "head" .Title}}<h1>{{.Title}}</h1><p>{{.Description}}</p>
<p>id <code>{{.ID}}</code> · geometry {{.GeometryType}}{{with .Extent}} · extent (CRS84) {{index .Spatial.Bbox 0}}{{end}}</p>
<p>CRS: {{range .CRS}}<code>{{.}}</code> {{end}}· storage <code>{{.StorageCRS}}</code></p>
<table><tr><th>property</th><th>type</th><th>meaning</th></tr>{{range .Properties}}<tr><td>{{.Name}}</td><td>{{.Type}}</td><td>{{.Description}}</td></tr>{{end}}</table>
{{template "links" .Links}}{{template "foot"}}{{end}}

{{define "items"}}{{template "head" .Collection}}<h1>{{.Collection}}</h1>
<p>{{.Returned}} features from {{.Offset}}{{if ge .Matched 0}} of {{.Matched}}{{end}}</p>{{template "links" .Links}}
<table><tr><th>id</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td><a href="{{.Href}}">{{.ID}}</a></td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>{{template "foot"}}{{end}}

{{define "item"}}{{template "head" .ID}}<h1>{{.Collection}} / {{.ID}}</h1>
<table>{{range .Props}}<tr><th>{{.Name}}</th><td>{{.Value}}</td></tr>{{end}}</table>
<p><a href="?f=json">GeoJSON</a> · <a href="/collections/{{.Collection}}/items?f=html">all features</a></p>
<h2>Geometry</h2><pre>{{.Geometry}}</pre>{{template "foot"}}{{end}}
`

// ogcHTML is parsed once per Server (no package-level state).
func parseOGCTemplates() *template.Template {
	return template.Must(template.New("ogc").Parse(ogcTemplates))
}

// renderHTML executes the named template with data.
func (s *Server) renderHTML(c echo.Context, name string, data any) error {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("api: rendering %s: %w", name, err)
	}
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// htmlFeature is the part of a GeoJSON feature the HTML views show.
type htmlFeature struct {
	ID         any             `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties map[string]any  `json:"properties"`
}

// renderItemsHTML shows a page of features as a table.
func (s *Server) renderItemsHTML(c echo.Context, q planner.ItemsQuery, page *planner.FeaturePage, links []link) error {
	var fs []htmlFeature
	if err := json.Unmarshal(page.Features, &fs); err != nil {
		return fmt.Errorf("api: decoding features of %q: %w", q.Collection, err)
	}
	type row struct {
		ID    string
		Href  string
		Cells []string
	}
	seen := map[string]bool{}
	var cols []string
	for _, f := range fs {
		for k := range f.Properties {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	sort.Strings(cols)
	data := struct {
		Collection                string
		Offset, Returned, Matched int
		Links                     []link
		Columns                   []string
		Rows                      []row
	}{Collection: q.Collection, Offset: q.Offset, Returned: page.Returned, Matched: page.Matched, Links: links, Columns: cols}
	for _, f := range fs {
		id := fmt.Sprint(f.ID)
		r := row{ID: id, Href: "/collections/" + q.Collection + "/items/" + id + "?f=html"}
		for _, k := range cols {
			r.Cells = append(r.Cells, cell(f.Properties[k]))
		}
		data.Rows = append(data.Rows, r)
	}
	return s.renderHTML(c, "items", data)
}

// renderItemHTML shows one feature.
func (s *Server) renderItemHTML(c echo.Context, collection string, raw []byte) error {
	var f htmlFeature
	if err := json.Unmarshal(raw, &f); err != nil {
		return fmt.Errorf("api: decoding a feature of %q: %w", collection, err)
	}
	type prop struct{ Name, Value string }
	data := struct {
		Collection, ID, Geometry string
		Props                    []prop
	}{Collection: collection, ID: fmt.Sprint(f.ID), Geometry: string(f.Geometry)}
	if len(data.Geometry) > 2000 {
		data.Geometry = data.Geometry[:2000] + " …"
	}
	var names []string
	for k := range f.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		data.Props = append(data.Props, prop{k, cell(f.Properties[k])})
	}
	return s.renderHTML(c, "item", data)
}

// cell formats a property value for a table cell.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []any, map[string]any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}
