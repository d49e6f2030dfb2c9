// Package evaluate rates open parks year by year from the monitoring
// record (评价考核, docs/evaluation.md): for each park its indicators
// (occupancy, specialty + related share of firms and floor, small/micro
// share, output and tax per mu, floor used against capacity, facilities
// against its tier), each against the scenario's rule and against what
// the plan promised; the rules it breaks, by name; a score and rating
// from a configurable Rubric; and the trend over the years. It is pure
// computation on planner types.
package evaluate
