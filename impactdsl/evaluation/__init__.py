"""Stage 5, evaluate: (model, outcomes) → results. Pure: no I/O, never raises on user data.

May import: `core`, `compile` (the model), `outcomes` (the tallies)."""
