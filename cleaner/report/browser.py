"""Open a report in headless Chromium: the DOM after its script ran, a screenshot, the open time.

Used by the browser test and the report benchmark; nothing here downloads anything. It drives
the system's Chromium (Debian's ``chromium`` package) from the command line: ``--dump-dom``
prints the document after the page's scripts ran, and ``--screenshot`` saves a PNG. Every call
starts a fresh browser with an empty profile and no background networking, so a run is
independent of the last one and never waits on a closed network.

The open time is the page's own measurement: the report's script stores ``performance.now()``
(milliseconds since navigation start) in ``<html data-ready>`` when the page is ready to use.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

#: Executable names tried in turn on the PATH.
NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    """The path of a Chromium executable (``$CHROMIUM`` first), or None when there is none."""
    explicit = os.environ.get("CHROMIUM")
    if explicit and Path(explicit).exists():
        return explicit
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], timeout: float) -> str:
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError(
            "no Chromium found: install Debian's `chromium` package (apt-get install chromium) "
            "or set CHROMIUM to the browser's path."
        )
    with tempfile.TemporaryDirectory(prefix="boilerclean-chromium-") as profile:
        done = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited with {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def file_url(path: str | os.PathLike[str], fragment: str = "") -> str:
    """A ``file://`` URL for ``path`` with an optional ``#fragment``."""
    url = Path(path).resolve().as_uri()
    return f"{url}#{fragment}" if fragment else url


def dump_dom(path: str | os.PathLike[str], fragment: str = "", timeout: float = 60) -> str:
    """The serialised DOM of the page at ``path`` after its scripts ran."""
    return _run(["--dump-dom", file_url(path, fragment)], timeout)


def screenshot(
    path: str | os.PathLike[str],
    png: str | os.PathLike[str],
    fragment: str = "",
    size: tuple[int, int] = (1280, 2400),
    timeout: float = 60,
) -> Path:
    """Save a PNG of the page at ``path`` (``size`` is the window, in CSS pixels)."""
    target = Path(png).resolve()
    _run(
        [
            f"--screenshot={target}",
            f"--window-size={size[0]},{size[1]}",
            file_url(path, fragment),
        ],
        timeout,
    )
    return target


def ready_ms(dom: str) -> float | None:
    """The page's own open time (ms from navigation start to ready), read off a dumped DOM.

    >>> ready_ms('<html lang="en" data-ready="123.4"><head>')
    123.4
    >>> ready_ms("<html>") is None
    True
    """
    found = re.search(r'<html[^>]*\sdata-ready="([0-9.]+)"', dom)
    return float(found.group(1)) if found else None
