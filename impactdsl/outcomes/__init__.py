"""Stage 4, load: a data folder (survey exports, registers, aggregated counts) → Outcomes, the
tallies the evaluator reads, checked against the compiled ruleset. No raw row leaves this package.

May import: `core`, `read`, `compile`."""
