package api

import (
	"bytes"
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

// ssePoll is how often an event stream reads its scenario's row. The
// run's worker — in this process or on any machine — writes its status
// and progress there, so any server streams any run.
const ssePoll = 250 * time.Millisecond

// statusEvent is the data of an SSE "status" event.
type statusEvent struct {
	ID            string            `json:"id"`
	Status        planner.JobStatus `json:"status"`
	Run           int               `json:"run"`
	QueuePosition int               `json:"queue_position,omitempty"`
	Error         string            `json:"error,omitempty"`
}

// scenarioEvents answers GET /scenarios/{id}/events with a stream of
// server-sent events: "status" (now and on every change of status or
// queue position), "progress" (each progress the running solve's worker
// stores: incumbent, bound, gap, nodes, elapsed_s) and a last "end" when
// the run is over. For a scenario with no active run it sends the status
// and "end" at once.
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

	ctx := c.Request().Context()
	poll := time.NewTicker(ssePoll)
	defer poll.Stop()
	beat := time.NewTicker(sseHeartbeat)
	defer beat.Stop()
	var (
		last         statusEvent
		lastProgress []byte
		first        = true
	)
	for {
		st := statusEvent{ID: id, Status: planner.JobStatus(run.Status), Run: run.Run, Error: run.Error}
		if st.Status == planner.JobQueued {
			st.QueuePosition = s.queuePosition(ctx, id)
		}
		if first || st != last {
			if err := writeEvent(res, "status", st); err != nil {
				return nil
			}
			last, first = st, false
		}
		if p := newProgressDoc(run.Progress); p != nil && st.Status == planner.JobRunning {
			if b, err := json.Marshal(p); err == nil && !bytes.Equal(b, lastProgress) {
				if err := writeEvent(res, "progress", p); err != nil {
					return nil
				}
				lastProgress = b
			}
		}
		if !st.Status.Active() {
			_ = writeEvent(res, "end", st)
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-beat.C:
			if _, err := fmt.Fprint(res, ": keep-alive\n\n"); err != nil {
				return nil
			}
			res.Flush()
		case <-poll.C:
		}
		next, err := s.findVisible(c, id)
		switch {
		case planner.ErrorCode(err) == planner.ENOTFOUND:
			// Deleted while streaming: its run ended with it.
			_ = writeEvent(res, "end", statusEvent{ID: id, Status: planner.JobCancelled, Run: run.Run, Error: "the scenario was deleted"})
			return nil
		case err != nil:
			// The database is away for a moment: keep the stream, read again.
			continue
		}
		run = next
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
