package api

import "github.com/labstack/echo/v4"

// This file is a placeholder owned by the scenario service (H6): replace it
// with api/scenarios.go, which defines ScenarioDeps (the scenario service's
// own dependencies, e.g. a job runner and planner.ScenarioStore extras) and
// registerScenarioRoutes (GET/POST /scenarios, /scenarios/{id}/run, …).
// Hooks available on *Server: s.deps.Scenarios (planner.ScenarioStore),
// s.deps.Scenario (ScenarioDeps), s.require(RolePlanner) route middleware,
// roleOf(c), s.withTimeout (not for SSE), errors as planner.Error or
// Unprocessable(err) / WithStatus(status, retryAfter, err), rendered as
// problem+json by handleError. Delete this file when api/scenarios.go lands.

// ScenarioDeps holds the scenario service's dependencies (none yet).
type ScenarioDeps struct{}

// registerScenarioRoutes adds the scenario service's routes (none yet).
func (s *Server) registerScenarioRoutes(e *echo.Echo) {}
