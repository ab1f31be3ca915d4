"""Stage 3, compile: syntax → the model (names resolved, templates, each blocks and peers
expanded, units checked); the static checks, the YAML exchange format and the diff of two models.

May import: `core`, `read`, `parse`."""
