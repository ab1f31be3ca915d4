"""A content-keyed cache of stage results, the way Python keeps .pyc files.

The same ruleset text (or the same data files), the same grammar and the same
code always give the same compiled model (or tallies), so a second run reads
them back instead of importing Lark or PyYAML. The key covers every input:
the texts, the paths as shown, the Python version and a fingerprint of this
package's files. The cache lives in the user's cache folder, never in a
shared temp folder or site-packages; a damaged entry is only a miss, and
IMPACTDSL_NO_CACHE=1 turns it off. A process that may write nothing to disk (the language server)
calls `read_only` first: it still reads what earlier runs kept."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_READ_ONLY: list[bool] = [False]


def read_only() -> None:
    """From now on this process reads the cache and writes nothing to it."""
    _READ_ONLY[0] = True


def writes() -> bool:
    """Whether this process may add to the cache (`read_only` was not called)."""
    return not _READ_ONLY[0]


def cached(kind: str, parts: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()`, or its earlier result for the same `parts`."""
    path = _path(kind, parts)
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:           # damaged or from another version: recompute
            pass
    value = compute()
    if path is not None and writes():
        _write(path, value)
    return value


def _path(kind: str, parts: Iterable[str]) -> Path | None:
    if os.environ.get("IMPACTDSL_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256(_code_fingerprint().encode())
    for part in parts:
        key.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return Path(base) / "impactdsl" / kind / f"{key.hexdigest()}.pickle"


@functools.cache
def _code_fingerprint() -> str:
    """Python version and the size and time of every file of the package and grammar."""
    package = Path(__file__).resolve().parents[1]
    files = sorted(package.rglob("*.py")) + sorted(package.rglob("*.lark")) + \
        sorted(package.parent.glob("grammar/*.lark"))
    stamps = [f"{f.relative_to(package.parent)}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files]
    return f"{sys.version_info[:2]}|" + "|".join(stamps)


def _write(path: Path, value) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass                        # no writable cache folder, or nothing to keep: compute every time
    finally:
        try:
            temporary.unlink(missing_ok=True)       # interrupted, or failed: no half-written entry is left
        except OSError:
            pass
