"""The HTML page in a real headless Chromium: loaded from file://, it asks the network for
nothing, and its filter chips and "another batch" work (driven by the URL fragment the page
itself supports, so no test hook lives in the product). Skipped where no Chromium is found."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from html_support import parse_page, ranked, report
from radar.render.html import render_html

BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no chromium binary (Debian: apt-get install chromium)"
)


class _Proxy:
    """An HTTP proxy on 127.0.0.1 that records every request and forwards none."""

    def __init__(self) -> None:
        seen: list[str] = []
        self.seen = seen

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                seen.append(f"{self.command} {self.path}")
                self.send_error(502)

            do_GET = do_POST = do_HEAD = do_CONNECT = _record

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    server = _Proxy()
    yield server
    server.server.shutdown()
    server.server.server_close()


def chromium(url: str, profile: Path, proxy: _Proxy | None = None, *extra: str) -> str:
    """The DOM after the page's script ran (`--dump-dom`), as text."""
    assert BROWSER is not None
    args = [
        BROWSER,
        "--headless",
        "--no-sandbox",  # tests may run as root in a container
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=3000",
        f"--user-data-dir={profile}",
        *extra,
    ]
    if proxy is not None:
        # Every request the page makes goes to the recording proxy, 127.0.0.1 included.
        args += [f"--proxy-server={proxy.url}", "--proxy-bypass-list=<-loopback>"]
    done = subprocess.run(
        [*args, "--dump-dom", url], capture_output=True, text=True, timeout=50, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _chromium_own(request: str) -> bool:
    """A request Chromium makes for itself whatever the page (its clock, its components)."""
    host = urlsplit(request.split()[1] if "://" in request else "//" + request.split()[1])
    name = (host.hostname or "").lower()
    return any(name == d or name.endswith("." + d) for d in _CHROMIUM_HOSTS)


_CHROMIUM_HOSTS = ("google.com", "googleapis.com", "gstatic.com", "gvt1.com")


def test_the_page_asks_the_network_for_nothing(tmp_path: Path, proxy: _Proxy) -> None:
    # First the detector is shown to work: a page without radar's CSP that loads an image.
    control = tmp_path / "control.html"
    control.write_text('<img src="http://radar-test.invalid/x.png">', encoding="utf-8")
    chromium(control.as_uri(), tmp_path / "p1", proxy)
    assert any("radar-test.invalid" in line for line in proxy.seen), proxy.seen
    proxy.seen.clear()

    hostile = '<img src="http://radar-test.invalid/y.png"><link rel=stylesheet href="//x.invalid">'
    page = tmp_path / "page.html"
    papers = (ranked(1, title=hostile, abstract=hostile), ranked(2))
    page.write_text(render_html(report(papers)), encoding="utf-8")
    dom = chromium(page.as_uri(), tmp_path / "p2", proxy)
    assert [line for line in proxy.seen if not _chromium_own(line)] == []
    assert hostile in "".join(parse_page(dom).text)  # shown, as text


def test_a_fragment_filters_the_cards_and_batches_page_them(tmp_path: Path) -> None:
    papers = tuple(
        ranked(n, watched=("Sijie Wang",) if n % 3 == 0 else (), topics=("t",))
        for n in range(1, 24)
    )
    page = tmp_path / "page.html"
    page.write_text(render_html(report(papers)), encoding="utf-8")

    everything = parse_page(chromium(page.as_uri(), tmp_path / "p1"))
    cards = everything.with_class("card")
    assert len(cards) == 23
    # The first batch of 10 shows; the rest wait for "another batch".
    later = [c.attrs["id"] for c in cards if "later" in c.attrs["class"].split()]
    assert later == [f"p{n}" for n in range(11, 24)]
    (more,) = [e for e in everything.all("button") if e.attrs.get("id") == "more"]
    assert "hidden" not in more.attrs
    assert everything.with_class("chips")  # shown once the script runs

    filtered = parse_page(chromium(page.as_uri() + "#author=Sijie%20Wang", tmp_path / "p2"))
    shown = [
        c.attrs["id"]
        for c in filtered.with_class("card")
        if not {"off", "later"} & set(c.attrs["class"].split())
    ]
    assert shown == [f"p{n}" for n in range(3, 24, 3)]  # 7 papers: one batch holds them
    (chip,) = [e for e in filtered.with_class("chip") if e.attrs.get("aria-current") == "true"]
    assert chip.attrs["href"] == "#author=Sijie%20Wang"
    (more,) = [e for e in filtered.all("button") if e.attrs.get("id") == "more"]
    assert "hidden" in more.attrs
    (status,) = [e for e in filtered.all("span") if e.attrs.get("id") == "shown"]
    assert status.text == "7 of 7 shown"
