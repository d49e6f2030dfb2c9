package engine

import (
	"context"
	"fmt"

	"github.com/parkplan/parkplan/planner/cbc"
	"github.com/parkplan/parkplan/planner/mip"
	"github.com/parkplan/parkplan/planner/mps"
	"github.com/parkplan/parkplan/planner/solver"
)

// cbcLP solves an LP of parkplan's solver that is too large for its dense
// tableau (solver.Options.LP: the placement of every park's firms on a
// county where firms may move anywhere) with CBC's LP (CLP, the same as
// the starting prices'), and returns its optimal x.
func cbcLP(ctx context.Context, p *solver.SparseLP) ([]float64, error) {
	m := &mip.Model{}
	for j, c := range p.C {
		m.AddColumn(mip.Column{Obj: c, Lo: p.Lo[j], Up: p.Up[j], Continuous: true, Note: "x"})
	}
	for _, row := range p.Rows {
		sense := mip.LE
		switch row.Sense {
		case solver.RowGE:
			sense = mip.GE
		case solver.RowEQ:
			sense = mip.EQ
		}
		r := m.AddRow(sense, row.RHS, "row")
		for k, j := range row.Cols {
			m.Add(r, j, row.Coefs[k])
		}
	}
	lp, err := cbc.LPRelaxation(ctx, mps.FromMIP(m))
	if err != nil {
		return nil, fmt.Errorf("engine: outside LP of %d columns and %d rows: %w", len(p.C), len(p.Rows), err)
	}
	return lp.Values, nil
}

// outsideLP is the solver's outside LP for a solve of inst: CBC's where it
// is installed, for solves by the clock only (a node-limited solve stays
// reproducible to the byte by the solver's own work alone).
func outsideLP(nodeLimit int) solver.LPFunc {
	if nodeLimit > 0 || !cbc.Installed() {
		return nil
	}
	return cbcLP
}
