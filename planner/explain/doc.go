// Package explain answers a planner's two "beyond the seed" questions about
// a scenario (docs/explain.md):
//
//   - WhyParcels: why each parcel is, or is not, a park in a plan — what a
//     chosen park contributes (firms, floor space, its share of the
//     objective), or what keeps a parcel out, in planning words with the
//     figures: protected land, lock_out, no admissible specialty, the
//     town's new-land quota net of what the plan already uses, the new-land
//     cap, the budget, no firm in reach, or simply a worse plan — how much
//     objective forcing it in costs, from a re-solve with the solver's
//     proven bound;
//   - Frontier: the plans between two objectives (firms housed against new
//     land consumed, floor space against relocation km, …), found by
//     weighted sums on the planner's own solver.
//
// Both take the solver as a function (engine.SolveFunc), so parkplan's own
// solver or CBC can be used, and both are deterministic when the re-solves
// end on their own or on a node limit.
package explain
