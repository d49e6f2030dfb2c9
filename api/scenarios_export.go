package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// exportType returns the media type and file extension of export format f.
func exportType(f string) (mime, ext string, ok bool) {
	switch f {
	case planner.ExportGPKG:
		return "application/geopackage+sqlite3", ".gpkg", true
	case planner.ExportSHP:
		return "application/zip", ".shp.zip", true
	case planner.ExportQGZ:
		return "application/zip", ".qgis.zip", true
	}
	return "", "", false
}

// exportScenario answers GET /scenarios/{id}/export?f=gpkg|shp|qgz
// [&encoding=UTF-8|GBK]: the saved plan as a file for GIS tools, the same
// as `parkplan export --scenario ID --format F` (ScenarioDeps.Export).
// It reads like the other scenario reads: the public role sees published
// scenarios only. The file is built first and then streamed, so a
// failure is answered as a problem, never as a cut-off file.
func (s *Server) exportScenario(c echo.Context) error {
	if err := checkParams(c, "f", "encoding"); err != nil {
		return err
	}
	f := c.QueryParam("f")
	if f == "" {
		f = planner.ExportGPKG
	}
	mime, ext, ok := exportType(f)
	if !ok {
		return invalidParam("f", "f is %q; use gpkg, shp or qgz", f)
	}
	if s.deps.Scenario.Export == nil {
		return &planner.Error{Code: planner.EUNAVAILABLE, Message: "this server has no plan export (GDAL's ogr2ogr)"}
	}
	id := c.Param("id")
	run, err := s.findVisible(c, id)
	if err != nil {
		return err
	}
	if run.Plan == nil {
		return &planner.Error{Code: planner.ENOTFOUND, Field: "path.id",
			Message: "scenario " + `"` + id + `"` + " has no plan yet (status " + run.Status + ")"}
	}
	req := planner.ExportRequest{Scenario: id, Format: f, Encoding: c.QueryParam("encoding"), Unpublished: canReadUnpublished(c)}
	w := &headerOnWrite{c: c, mime: mime, filename: id + ext}
	if err := s.deps.Scenario.Export.ExportPlan(c.Request().Context(), req, w); err != nil {
		if pe := (*planner.Error)(nil); errors.As(err, &pe) && pe.Field == "encoding" {
			pe.Field = "query.encoding"
		}
		return err
	}
	if !w.started { // nothing written: still a valid (empty) answer
		w.start()
	}
	return nil
}

// headerOnWrite sends the response's headers with the first byte.
type headerOnWrite struct {
	c              echo.Context
	mime, filename string
	started        bool
}

func (w *headerOnWrite) start() {
	w.started = true
	h := w.c.Response().Header()
	h.Set(echo.HeaderContentType, w.mime)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+w.filename+`"`)
	w.c.Response().WriteHeader(http.StatusOK)
}

func (w *headerOnWrite) Write(b []byte) (int, error) {
	if !w.started {
		w.start()
	}
	return w.c.Response().Write(b)
}
