"""Every file impactdsl reads or writes passes here, so the promises about
files are kept in one place:

- only regular files are read: a pipe, a device or a socket is refused
  before anything waits on it (opened without blocking, then checked);
- a file is read only up to its limit, checked before reading;
- what the file system says (no such file, permission denied, a name too
  long, a NUL in a path, a loop of links) becomes plain words, never a
  traceback;
- a file stays inside the folders it may come from, links resolved;
- an output is written whole or not at all: to a temporary file in the
  target's folder, then renamed over the target — never through a link,
  never onto a pipe or a device, never into the data folder, and never onto
  a file that is one of the inputs (compared by device and inode, so a hard
  link or a link to it is refused too)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from impactdsl.core.diagnostics import Said


class FileProblem(Exception):
    """A file that cannot be read or written as asked; the message says why in plain words (in
    Swedish and in English: what follows the file's name, "finns inte" / "does not exist"), and
    `too_large` tells a file over its limit from one that cannot be used at all."""

    def __init__(self, message: Said, hint: Said | None = None, too_large: bool = False):
        super().__init__(message.en if isinstance(message, Said) else message)
        self.message = message
        self.hint = hint
        self.too_large = too_large


_WORDS = {
    errno.ENOENT: Said("finns inte", "does not exist"),
    errno.EACCES: Said("får inte läsas eller skrivas (åtkomst nekad)",
                       "may not be read or written (permission denied)"),
    errno.EPERM: Said("får inte läsas eller skrivas (åtgärden är inte tillåten)",
                      "may not be read or written (operation not permitted)"),
    errno.ENAMETOOLONG: Said("har ett längre namn än filsystemet tillåter",
                             "has a name longer than the file system allows"),
    errno.ELOOP: Said("är en slinga av länkar", "is a loop of links"),
    errno.EISDIR: Said("är en mapp", "is a folder"),
    errno.ENOTDIR: Said("har en del i sökvägen som inte är en mapp", "has a part that is not a folder"),
    errno.ENOSPC: Said("kan inte skrivas: disken är full", "cannot be written: the disk is full"),
    errno.EROFS: Said("kan inte skrivas: filsystemet är skrivskyddat",
                      "cannot be written: the file system is read-only"),
}
NOT_REGULAR = Said("är inte en vanlig fil (utan en pipe, en enhetsfil eller en socket)",
                   "is not a regular file (a pipe, a device or a socket)")


def explain(exc: BaseException) -> Said:
    """What went wrong with a file, in words (never the exception's own text, which may quote data):
    what follows the file's name, in Swedish and in English."""
    if isinstance(exc, ValueError):
        return Said("har ett NUL-tecken i namnet", "has a NUL character in its name")
    if isinstance(exc, OSError) and exc.errno in _WORDS:
        return _WORDS[exc.errno]
    if isinstance(exc, OSError) and exc.strerror:
        reason = exc.strerror.lower()           # the system's own words, in the system's language
        return Said(f"kan inte användas ({reason})", f"cannot be used ({reason})")
    return Said("kan inte användas", "cannot be used")


def status(path: Path, follow: bool = True) -> os.stat_result | None:
    """The file's status, or None when there is nothing at the path; other problems raise FileProblem."""
    try:
        return os.stat(path) if follow else os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as exc:
        raise FileProblem(explain(exc)) from None


def kind(path: Path) -> str:
    """'file', 'folder', 'missing' or 'other' (a pipe, a device, a socket), links followed."""
    info = status(path)
    if info is None:
        return "missing"
    if stat.S_ISREG(info.st_mode):
        return "file"
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    return "other"


def open_regular(path: Path, within: Iterable[Path] | None = None) -> BinaryIO:
    """A regular file opened for reading; a pipe or device is refused without waiting on it.

    With `within`, the file opened must lie in one of those folders, links
    resolved — checked on the file actually opened (its device and inode
    against those of the path it resolves to now), so a link swapped between
    a check and the opening cannot lead out."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:
        raise FileProblem(explain(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(Said("är en mapp, inte en fil", "is a folder, not a file"))
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(NOT_REGULAR, Said("ange en fil som är sparad på disk", "name a file saved on disk"))
        if within is not None and not _opened_inside(path, info, within):
            raise FileProblem(Said("ligger utanför de mappar den får läsas från (via en länk)",
                                   "lies outside the folders it may be read from (through a link)"),
                              Said("kopiera filen till mappen, eller ange dess mapp med --allow DIR",
                                   "copy the file into the folder, or name its folder with --allow DIR"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _opened_inside(path: Path, opened: os.stat_result, within: Iterable[Path]) -> bool:
    real = resolved(path)
    if real is None or not inside(real, within):
        return False
    try:
        now = os.stat(real)
    except (OSError, ValueError):
        return False
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)


class Digester:
    """The SHA-256s of open regular files, worked out in one thread, one file after another, while
    the files are tallied.

    Each is read from a duplicate of the file's descriptor with pread, so the position of the reader
    beside it is untouched and no second opening is made: a digest names the very file the tally
    read, whatever a link is changed to meanwhile. Hashing releases the interpreter's lock, so it
    runs beside the work of one core (imports, the plain reader) at little cost."""

    def __enter__(self) -> Digester:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256")
        self._begun: list = []
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is not None:            # stopped (an interrupt): the digests not begun are not wanted
            for future, fd in self._begun:
                if future.cancel():
                    os.close(fd)
        self._pool.shutdown(wait=True)

    def add(self, handle: BinaryIO):
        """The file's digest to come: a future whose result is 64 hexadecimal digits, or FileProblem.
        Where the system has no positioned reads (Windows), the digest is worked out at once, before
        the tally reads the file, and the file is left at its start."""
        fd = os.dup(handle.fileno())
        if not hasattr(os, "pread"):
            from concurrent.futures import Future

            done: Future = Future()
            try:
                done.set_result(_sha256(fd, positioned=False))
            except FileProblem as problem:
                done.set_exception(problem)
            handle.seek(0)
            return done
        try:
            future = self._pool.submit(_sha256, fd)
            self._begun.append((future, fd))
            return future
        except BaseException:
            os.close(fd)
            raise


def _sha256(fd: int, positioned: bool = True) -> str:
    """The digest of the open file `fd` (closed after), read with pread, or from its start with read."""
    import hashlib

    digest, offset = hashlib.sha256(), 0
    read = (lambda: os.pread(fd, 1 << 20, offset)) if positioned else (lambda: os.read(fd, 1 << 20))
    try:
        if not positioned:
            os.lseek(fd, 0, os.SEEK_SET)
        while piece := read():
            digest.update(piece)
            offset += len(piece)
    except OSError as exc:
        raise FileProblem(explain(exc)) from None
    finally:
        os.close(fd)
    return digest.hexdigest()


def again(handle: BinaryIO) -> BinaryIO:
    """Another handle on a file already opened (a duplicate of its descriptor), at its start: for a
    second reader of the same opening, closed on its own."""
    fd = os.dup(handle.fileno())
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path, limit: int, within: Iterable[Path] | None = None) -> bytes:
    """A regular file's bytes (inside `within`, when given), refused before reading when it is
    larger than `limit`."""
    with open_regular(path, within) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise FileProblem(Said(f"är {size} byte, mer än de {limit} som tillåts här",
                                   f"is {size} bytes, more than the {limit} allowed here"), too_large=True)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FileProblem(explain(exc)) from None
    if len(data) > limit:
        raise FileProblem(Said(f"är större än de {limit} byte som tillåts här",
                               f"is more than the {limit} bytes allowed here"), too_large=True)
    return data


def resolved(path: Path) -> Path | None:
    """The path with every link resolved, or None when the file system refuses to say."""
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether `path`, links resolved, lies in one of `folders` (themselves resolved)."""
    real = resolved(path)
    if real is None:
        return False
    for folder in folders:
        base = resolved(folder)
        if base is not None and (real == base or base in real.parents):
            return True
    return False


def identities(paths: Iterable[str | Path]) -> frozenset[tuple[int, int]]:
    """(device, inode) of each existing file: what no output may be written over."""
    out = set()
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            continue
        out.add((info.st_dev, info.st_ino))
    return frozenset(out)


def listing(folder: Path, limit: int = 10_000) -> list[str]:
    """The regular files below a folder (links to folders not followed), at most `limit` of them."""
    found: list[str] = []
    try:
        for top, folders, names in os.walk(folder, followlinks=False):
            folders.sort()
            for name in sorted(names):
                if len(found) >= limit:
                    return found
                found.append(os.path.join(top, name))
    except (OSError, ValueError):
        pass
    return found


def check_target(target: Path, protected: frozenset[tuple[int, int]] = frozenset(),
                 folders: Iterable[Path] = ()) -> os.stat_result | None:
    """Refuse, before any work, an output that would go through a link, onto something that is not a
    plain file, over an input, or into one of the input `folders` (the data folder: every file in
    it is the user's, read or not); the status of the file it replaces, if any."""
    if folders and inside(target.parent, folders):
        raise FileProblem(Said("ligger i datamappen; impactdsl skriver aldrig bland dina indatafiler",
                               "lies in the data folder; impactdsl never writes among your input files"),
                          Said("skriv rapporten bredvid regelverket, eller var som helst utanför dess datamapp",
                               "write the report beside the ruleset, or anywhere outside its data folder"))
    info = status(target, follow=False)
    if info is None:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise FileProblem(Said("är en länk; impactdsl skriver aldrig via en länk",
                               "is a link; impactdsl never writes through a link"),
                          Said("ange en ny fil, eller själva filen", "name a new file, or the file itself"))
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(Said("är en mapp", "is a folder"),
                          Said("ange en fil i den, t.ex. rapport.html", "name a file in it, e.g. rapport.html"))
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(NOT_REGULAR, Said("ange en fil på disk", "name a file on disk"))
    if (info.st_dev, info.st_ino) in protected:
        raise FileProblem(Said("är en av dina indatafiler; impactdsl skriver aldrig över dem",
                               "is one of your input files; impactdsl never writes over them"),
                          Said("ange en ny fil att skriva till", "name a new file for the output"))
    return info


def write_atomic(target: Path, data: bytes, protected: frozenset[tuple[int, int]] = frozenset(),
                 folders: Iterable[Path] = ()) -> None:
    """Write `data` to `target` whole or not at all (a temporary file beside it, then a rename).
    A file written again keeps its permissions; a new one gets the usual ones (the umask's)."""
    replaced = check_target(target, protected, folders)
    mode = stat.S_IMODE(replaced.st_mode) if replaced is not None else 0o666 & ~_umask()
    import tempfile

    folder = target.parent
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:40]}.", suffix=".tmp")
    except (OSError, ValueError) as exc:
        raise FileProblem(Said.joined(Said("kan inte skrivas: dess mapp ", "cannot be written: its folder "),
                                      explain(exc)),
                          Said("kontrollera att mappen finns och att den får skrivas i",
                               "check that the folder exists and may be written")) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise FileProblem(Said.joined(Said("kan inte skrivas: ", "cannot be written: "), explain(exc))) from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
