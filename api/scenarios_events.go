package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parkplan/parkplan/planner"
)

// sseHeartbeat is how often an idle event stream gets a comment line, so
// proxies and clients see the connection alive.
const sseHeartbeat = 15 * time.Second

// statusEvent is the data of an SSE "status" event.
type statusEvent struct {
	ID            string            `json:"id"`
	Status        planner.JobStatus `json:"status"`
	Run           int               `json:"run"`
	QueuePosition int               `json:"queue_position,omitempty"`
	Error         string            `json:"error,omitempty"`
}

// scenarioEvents answers GET /scenarios/{id}/events with a stream of
// server-sent events: "status" (now and on every change of status),
// "progress" (each report of the running solve: incumbent, bound, gap,
// nodes, elapsed_s) and a last "end" when the run is over. For a scenario
// with no active run it sends the status and "end" at once.
func (s *Server) scenarioEvents(c echo.Context) error {
	id := c.Param("id")
	run, err := s.findVisible(c, id)
	if err != nil {
		return err
	}
	res := c.Response()
	// The stream outlives the server's write timeout.
	_ = http.NewResponseController(res.Writer).SetWriteDeadline(time.Time{})
	h := res.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-cache")
	h.Set("X-Accel-Buffering", "no")
	res.WriteHeader(http.StatusOK)

	var jb *job
	var wake chan struct{}
	if jobs := s.deps.Scenario.Jobs; jobs != nil && planner.JobStatus(run.Status).Active() {
		var unsub func()
		if jb, wake, unsub = jobs.subscribe(id); jb != nil {
			defer unsub()
		}
	}
	if jb == nil {
		// Nothing active here: the stored state is final (or, for a run
		// left active by a server that died, settled at start-up).
		if err := writeEvent(res, "status", statusEvent{ID: id, Status: planner.JobStatus(run.Status), Run: run.Run, Error: run.Error}); err != nil {
			return nil
		}
		_ = writeEvent(res, "end", statusEvent{ID: id, Status: planner.JobStatus(run.Status), Run: run.Run, Error: run.Error})
		return nil
	}

	jobs := s.deps.Scenario.Jobs
	ctx := c.Request().Context()
	beat := time.NewTicker(sseHeartbeat)
	defer beat.Stop()
	var lastStatus planner.JobStatus
	lastPos := -1
	var lastSeq uint64
	for {
		st := jobs.snapshot(jb)
		if st.Status != lastStatus || st.Position != lastPos {
			if err := writeEvent(res, "status", statusEvent{ID: id, Status: st.Status, Run: jb.run,
				QueuePosition: st.Position, Error: st.Error}); err != nil {
				return nil
			}
			lastStatus, lastPos = st.Status, st.Position
		}
		if st.Progress != nil && st.seq != lastSeq {
			if err := writeEvent(res, "progress", newProgressDoc(st.Progress)); err != nil {
				return nil
			}
		}
		lastSeq = st.seq
		if !st.Status.Active() {
			_ = writeEvent(res, "end", statusEvent{ID: id, Status: st.Status, Run: jb.run, Error: st.Error})
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-jb.done:
		case <-beat.C:
			if _, err := fmt.Fprint(res, ": keep-alive\n\n"); err != nil {
				return nil
			}
			res.Flush()
		}
	}
}

// writeEvent writes one server-sent event and flushes it.
func writeEvent(res *echo.Response, event string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(res, "event: %s\ndata: %s\n\n", event, b); err != nil {
		return err
	}
	res.Flush()
	return nil
}
