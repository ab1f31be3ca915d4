"""Limits applied before any work, so an untrusted peer's file cannot exhaust
memory or time. A frozen value passed in, never a global."""

from __future__ import annotations

import attrs


@attrs.frozen
class Limits:
    file_bytes: int = 2 * 1024 * 1024         # one ruleset file, text or exported YAML
    imports: int = 16                         # imports in one file
    depth: int = 4                            # a peer importing a peer importing ...
    statements: int = 5000                    # statements in one file
    yaml_nodes: int = 200_000                 # nodes in one exported ruleset


DEFAULT = Limits()
