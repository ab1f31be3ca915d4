"""The live page: `impactdsl serve RULESET` serves the HTML report on 127.0.0.1 and reloads it in
the browser when the ruleset or its data change; a ruleset or data with errors show their
diagnostics, each with its file, line and caret, in place of the report.

Only the loopback address is listened on; two paths are answered (the page, and the stamp its
script asks for twice a second) and nothing else, no file is served; a request naming another host
is refused, so no web page elsewhere can reach it through a name that points here. The report is
the inert HTML of `render`; the page's one script is its own reload (allowed by its hash in the
page's Content-Security-Policy, which allows no other), and it reads only the stamp.

May import: `core`, `read`, `render`, `impactdsl`."""

from __future__ import annotations

import base64
import hashlib
import html
import os
import sys
import threading
from pathlib import Path

import impactdsl
from impactdsl.core.diagnostics import Said
from impactdsl.core.redact import redact
from impactdsl.render.output import render

WATCHED_FILES = 5000                # files looked at for a change, at most (a ruleset folder is small)
RELOAD = ("(function(){var s=document.querySelector('meta[name=impactdsl-stamp]').content;"
          "setInterval(function(){fetch('/stamp',{cache:'no-store'}).then(function(r){return r.text()})"
          ".then(function(t){if(t!==s){location.reload()}}).catch(function(){})},500)})()")
# What the page and the server say besides the report, in the language the page is served in.
TITLE = Said("Regelverket har fel", "The ruleset has errors")
HEADING = Said("Regelverket eller data har fel", "The ruleset or the data have errors")
AGAIN = Said("Sidan visar rapporten igen när felen är rättade.", "The page shows the report again once the "
             "errors are fixed.")
ONLY_HERE = Said("impactdsl svarar bara på 127.0.0.1", "impactdsl serves only 127.0.0.1")
FAILED = Said("impactdsl gick fel inuti; se terminalen", "impactdsl failed inside; see the terminal")
NOT_FOUND = Said("finns inte", "not found")
POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; "
          "script-src 'sha256-" + base64.b64encode(hashlib.sha256(RELOAD.encode()).digest()).decode() + "'")


class Live:
    """The report of one ruleset, made again when a file it reads has changed."""

    def __init__(self, ruleset: str, data: str | None = None, allow=(), lang: str = "sv"):
        self.ruleset, self.data, self.allow, self.lang = ruleset, data, list(allow), lang
        self.lock = threading.Lock()
        self.read: tuple[str, ...] = ()             # the files the last build read, besides the folders
        self.built: tuple[str, bytes] | None = None  # (stamp, page)

    def stamp(self) -> str:
        """A digest of the size and time of every file the report may read: the ruleset's folder
        tree, the data folder, and each import the last build read."""
        seen = []
        folders = [Path(self.ruleset) if Path(self.ruleset).is_dir() else Path(self.ruleset).parent]
        if self.data:
            folders.append(Path(self.data))
        paths = [Path(p) for p in self.read]
        for folder in folders:
            for root, dirs, names in os.walk(folder):
                dirs.sort()
                paths += [Path(root) / name for name in sorted(names)]
                if len(paths) > WATCHED_FILES:
                    break
        for path in paths[:WATCHED_FILES]:
            try:
                info = os.stat(path)
                seen.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
            except OSError:
                seen.append(f"{path}:-")
        return hashlib.sha256("\n".join(seen).encode("utf-8", "surrogatepass")).hexdigest()[:20]

    def page(self) -> bytes:
        with self.lock:
            stamp = self.stamp()
            if self.built is None or self.built[0] != stamp:
                self.built = (stamp, self._with_reload(self._report(), stamp))
            return self.built[1]

    def _report(self) -> str:
        ruleset, problems = impactdsl.check(self.ruleset, self.allow)
        if ruleset is None or impactdsl.has_errors(problems):
            return _problems_page(problems, self.lang)
        self.read = tuple(ruleset.inputs)
        data = Path(self.data) if self.data else impactdsl.data_folder(self.ruleset)
        outcomes, found = impactdsl.load(data, ruleset, None, self.allow)
        if outcomes is None or impactdsl.has_errors(found):
            return _problems_page(list(problems) + list(found), self.lang)
        self.read += tuple(outcomes.inputs)
        return render(impactdsl.evaluate(ruleset, outcomes), "html", self.lang)

    @staticmethod
    def _with_reload(page: str, stamp: str) -> bytes:
        tags = f'<meta name="impactdsl-stamp" content="{stamp}">\n<script>{RELOAD}</script>\n'
        return page.replace("</head>", tags + "</head>", 1).encode("utf-8")


def _problems_page(problems, lang: str = "sv") -> str:
    """The diagnostics as the terminal shows them, each with its line and caret, as an inert page in
    `lang` (Swedish unless "en"): its words, and every message, hint and note."""
    lang = "en" if lang == "en" else "sv"
    text = html.escape(impactdsl.render_problems(problems, lang))
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(TITLE.in_language(lang))}</title>\n<style>body {{ font-family: sans-serif; "
            "margin: 24px; } pre { font-size: 14px; white-space: pre-wrap; background: #fff6f6; padding: 12px; "
            "border-left: 4px solid #c62828; }</style>\n</head>\n<body>\n"
            f"<h1>{html.escape(HEADING.in_language(lang))}</h1>\n<p>{html.escape(AGAIN.in_language(lang))}</p>\n"
            f"<pre id=\"problems\">{text}</pre>\n</body>\n</html>\n")


def serve(live: Live, port: int = 8765, ready=None) -> None:
    """Answer on 127.0.0.1:`port` (0: any free port) until interrupted; `ready(url)` is told the
    address once it listens."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    def said(text: Said) -> bytes:                  # a plain-text answer, one line
        return (text.in_language(live.lang) + "\n").encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hosts = {f"127.0.0.1:{self.server.server_port}", f"localhost:{self.server.server_port}"}
            if self.headers.get("Host") not in hosts:
                return self._answer(403, said(ONLY_HERE), "text/plain")
            if self.path in ("/", "/index.html"):
                try:
                    return self._answer(200, live.page(), "text/html")
                except Exception as exc:        # a bug of ours: one line, never a traceback, and serving goes on
                    name = type(exc).__name__
                    print(Said(f"impactdsl: sidan kunde inte göras ({name}); det är ett fel i impactdsl, inte i "
                               "dina filer", f"impactdsl: the page could not be made ({name}); this is a bug in "
                               "impactdsl, not in your files").in_language(live.lang), file=sys.stderr)
                    return self._answer(500, said(FAILED), "text/plain")
            if self.path == "/stamp":
                return self._answer(200, live.stamp().encode(), "text/plain")
            return self._answer(404, said(NOT_FOUND), "text/plain")

        def _answer(self, status: int, body: bytes, kind: str):
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):          # quiet: the terminal is the user's
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):     # a browser that went away: nothing to say
            pass

    with Server(("127.0.0.1", port), Handler) as server:
        if ready is not None:
            ready(redact(f"http://127.0.0.1:{server.server_port}/"))
        server.serve_forever()
