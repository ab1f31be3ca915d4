"""Stage: `impactdsl lsp`, the Language Server Protocol over standard input and output, so that an
editor shows a ruleset's problems as it is written (in the client's language), and hovers,
completes, finds declarations, outlines and formats it. Built on pygls, the optional extra 'lsp'.

It compiles the text the editor holds, never the file on disk, and writes nothing to disk: not
the text, not the caches (it reads what earlier commands kept). analysis.py compiles, keeping the
syntax of what did not change (parse/incremental.py) so that a change of Umeå's ruleset is
answered within 100 ms (bench/lsp.py measures it); features.py answers; server.py speaks the
protocol.

May import: `impactdsl` (the API), `core`, `read`, `parse`, `compile`, `outcomes`, `workspace`, `evaluation`,
`render`."""

from __future__ import annotations

from impactdsl.core.diagnostics import Said


def missing() -> Said | None:
    """Why the server cannot run here (pygls, the extra 'lsp', is not installed), or None."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        return Said("språkservern (Language Server Protocol) bygger på pygls, tillägget 'lsp', som inte är installerat",
                    "the language server (Language Server Protocol) is built on pygls, the optional extra 'lsp', "
                    "which is not installed")
    return None


HOW = Said("pip install 'impactdsl[lsp]'", "pip install 'impactdsl[lsp]'")


def serve(stdin=None, stdout=None) -> None:
    """Answer an editor on standard input and output until it says exit."""
    from impactdsl.lsp.server import serve as run

    run(stdin, stdout)
