"""The fetch layer under attack: compression bombs, redirect loops and chains, downgrades.

Bombs are served by a real loopback server to a real `radar today` in its own process, so
its peak memory can be read from the kernel (os.wait4) and capped (RLIMIT_AS) without
putting the test runner at risk.
"""

from __future__ import annotations

import itertools
import os
import resource
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bombs import MIB, bomb, encode

from conftest import Run
from faults_support import FEED_CAUGHT, FEED_WATCHLIST, REAL_FEED, lines_matching, radar_env
from loopback import Answer, Loopback, Seen
from radar.polite import MemoryPacer
from radar.sources.http import FetchFailedError, fetch

# What a bomb run may use at its peak: the interpreter, radar and httpx (about 35 MB) and
# the 64 MB cap once over, with room to spare; a bomb decoded in one go takes gigabytes.
PEAK_RSS_BYTES = 256 * MIB
# The address space the bomb run gets, so that a regression fails the test with a
# MemoryError instead of taking the machine's memory.
ADDRESS_SPACE = 2048 * MIB
FEED_PATH = "/rss/"


@pytest.fixture
def feed_server() -> Iterator[Loopback]:
    server = Loopback().start()
    yield server
    server.stop()


def run_radar_process(home: Path, feed_url: str, *args: str) -> tuple[int, str, str, int, float]:
    """`radar ARGS` in its own process: exit code, stdout, stderr, peak RSS bytes, seconds."""
    work = home / "work"
    work.mkdir(parents=True, exist_ok=True)
    (work / "radar.yaml").write_text(FEED_WATCHLIST.replace("timeout: 1", "timeout: 5"))
    out, err = work / "out.txt", work / "err.txt"

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    started = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "radar", *args],
            cwd=work,
            env=radar_env(home, arxiv_rss_url=feed_url),
            stdout=stdout,
            stderr=stderr,
            preexec_fn=limit_memory,
        )
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone
        finally:
            proc.returncode = 0  # reaped above; keeps Popen from waiting again
    seconds = time.monotonic() - started
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    code = os.waitstatus_to_exitcode(status)
    return code, out.read_text("utf-8"), err.read_text("utf-8"), peak, seconds


@pytest.mark.parametrize(
    "codings",
    [["gzip"], ["deflate"], ["gzip", "gzip"], ["deflate", "gzip"], ["gzip", "deflate", "deflate"]],
    ids=lambda c: "+".join(c),
)
def test_a_compression_bomb_is_stopped_at_the_cap_while_decoding(
    feed_server: Loopback, tmp_path: Path, codings: list[str]
) -> None:
    body = bomb(codings, 2048)  # 2 GiB of zeros
    assert len(body) < 3 * MIB
    encoded = {"Content-Encoding": ", ".join(codings)}
    feed_server.route(FEED_PATH, Answer(body=body, headers=encoded))
    code, out, err, peak, seconds = run_radar_process(
        tmp_path / "home", feed_server.url + FEED_PATH, "today"
    )
    assert "Traceback" not in err
    assert code == 3, err
    assert peak < PEAK_RSS_BYTES, f"peak RSS {peak / MIB:.0f} MiB"
    assert seconds < 20
    assert out == ""
    errors = lines_matching(err, "^error:")
    assert errors == [
        "error: fetching arXiv's announcement feed failed: the answer is larger than 64 MB "
        "once decompressed"
    ], err
    assert feed_server.count(FEED_PATH) == 1  # the same answer again would be no smaller


def test_a_stacked_encoding_within_the_cap_is_read(
    run: Run, feed_server: Loopback, watchlist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = encode(encode(REAL_FEED, "gzip"), "deflate")
    feed_server.route(FEED_PATH, Answer(body=body, headers={"Content-Encoding": "gzip, deflate"}))
    use_loopback(monkeypatch, feed_server)
    result = run("today", "--format", "json")
    assert result.code == 0, result.err
    for arxiv_id in FEED_CAUGHT:
        assert arxiv_id in result.out
    assert feed_server.requests[0].headers["accept-encoding"] == "gzip, deflate"


def use_loopback(monkeypatch: pytest.MonkeyPatch, server: Loopback) -> None:
    # Both endpoints: while either is an arXiv host, radar keeps arXiv's 3 s between requests.
    monkeypatch.setenv("RADAR_ARXIV_RSS_URL", server.url + FEED_PATH)
    monkeypatch.setenv("RADAR_ARXIV_API_URL", server.url + "/api/query")


@pytest.fixture
def watchlist_dir(isolated_user: Path) -> Path:
    (isolated_user / "radar.yaml").write_text(FEED_WATCHLIST, encoding="utf-8")
    return isolated_user


# -- fetch() itself: every coding and stack, and what it refuses ---------------------------

BODY = b"<feed>" + b"radar " * 5000 + b"</feed>"


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("gzip", encode(BODY, "gzip")),
        ("x-gzip", encode(BODY, "gzip")),
        ("deflate", encode(BODY, "deflate")),
        ("deflate", raw_deflate(BODY)),  # what some servers send as "deflate"
        ("identity", BODY),
        ("gzip, identity, gzip", encode(encode(BODY, "gzip"), "gzip")),
        ("GZIP , Deflate", encode(encode(BODY, "gzip"), "deflate")),
    ],
)
def test_fetch_undoes_every_coding_it_asks_for(
    feed_server: Loopback, header: str, body: bytes
) -> None:
    feed_server.route("/x", Answer(body=body, headers={"Content-Encoding": header}))
    with httpx.Client() as client:
        answer = fetch(client, feed_server.url + "/x", timeout=5, pacer=MemoryPacer(0))
    assert answer.body == BODY


def test_fetch_decodes_a_body_that_arrives_a_byte_at_a_time(feed_server: Loopback) -> None:
    small = b"<feed>" + b"ab" * 40 + b"</feed>"
    for body in (encode(small, "deflate"), raw_deflate(small)):
        encoded = {"Content-Encoding": "deflate"}
        feed_server.route("/x", Answer(body=body, headers=encoded, trickle=0.001))
        with httpx.Client() as client:
            answer = fetch(client, feed_server.url + "/x", timeout=10, pacer=MemoryPacer(0))
        assert answer.body == small


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("br", "an answer in an encoding radar did not ask for (br)"),
        ("gzip, zstd", "an answer in an encoding radar did not ask for (zstd)"),
        ("compress", "an answer in an encoding radar did not ask for (compress)"),
        ("gzip, gzip, gzip, gzip", "an answer compressed 4 times over (at most 3)"),
    ],
)
def test_fetch_refuses_codings_it_did_not_ask_for(
    feed_server: Loopback, header: str, reason: str
) -> None:
    feed_server.route("/x", Answer(body=b"\x00" * 100, headers={"Content-Encoding": header}))
    with httpx.Client() as client, pytest.raises(FetchFailedError) as failed:
        fetch(client, feed_server.url + "/x", timeout=5, pacer=MemoryPacer(0))
    assert failed.value.reason == reason


def test_fetch_says_when_a_coding_does_not_decode(feed_server: Loopback) -> None:
    feed_server.route("/x", Answer(body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    with httpx.Client() as client, pytest.raises(FetchFailedError) as failed:
        fetch(client, feed_server.url + "/x", timeout=5, pacer=MemoryPacer(0))
    assert failed.value.reason == "an unreadable answer (its gzip coding does not decode)"


# -- redirects -------------------------------------------------------------------------------

FEED_ROUTE = "/rss/eess.SP+cs.LG+quant-ph"


def slow_watchlist(directory: Path, spacing: float) -> None:
    """The feed watchlist with room for paced redirect hops inside one request's deadline."""
    text = FEED_WATCHLIST.replace("timeout: 1", "timeout: 10").replace(
        "spacing: 0", f"spacing: {spacing:g}"
    )
    (directory / "radar.yaml").write_text(text, encoding="utf-8")


def test_a_redirect_loop_is_one_error_line_and_not_retried(
    run: Run, feed_server: Loopback, watchlist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_server.route(FEED_PATH, lambda seen: Answer(302, headers={"Location": seen.path}))
    use_loopback(monkeypatch, feed_server)
    result = run("today")
    assert result.code == 3, result.err
    assert lines_matching(result.err, "^error:") == [
        f"error: fetching arXiv's announcement feed failed: a redirect loop "
        f"(back to {feed_server.url}{FEED_ROUTE})"
    ]
    assert "Traceback" not in result.err
    assert feed_server.count() == 1


def test_every_redirect_hop_waits_its_turn_and_the_chain_is_cut(
    run: Run, feed_server: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_watchlist(isolated_user, spacing=0.4)
    hop = 0

    def onwards(seen: Seen) -> Answer:
        nonlocal hop
        hop += 1
        return Answer(301, headers={"Location": f"/rss/hop{hop}"})

    feed_server.route("/rss/", onwards)
    use_loopback(monkeypatch, feed_server)
    result = run("today")
    assert result.code == 3, result.err
    assert lines_matching(result.err, "^error:") == [
        "error: fetching arXiv's announcement feed failed: more than 5 redirects "
        f"(the last to {feed_server.url}/rss/hop6)"
    ]
    times = [r.at for r in feed_server.requests]
    assert len(times) == 6  # the request and five hops; a redirect chain is not retried
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.35, gaps


def test_a_redirect_to_another_host_is_followed_and_logged(
    run: Run, feed_server: Loopback, watchlist_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = Loopback().start()
    try:
        elsewhere.route("/moved/", Answer(body=REAL_FEED))
        moved = elsewhere.url + "/moved" + FEED_ROUTE
        feed_server.route(FEED_PATH, Answer(301, headers={"Location": moved}))
        use_loopback(monkeypatch, feed_server)
        result = run("-v", "today", "--format", "json")
        assert result.code == 0, result.err
        assert FEED_CAUGHT[0] in result.out
        assert (
            f"radar: GET {feed_server.url}{FEED_ROUTE} -> 301, redirected to {moved}\n"
            in result.err
        )
        assert f"radar: GET {moved} -> 200" in result.err
        assert elsewhere.count() == 1
    finally:
        elsewhere.stop()


def test_a_redirect_loop_on_the_export_api_is_one_error_line(
    run: Run, feed_server: Loopback, isolated_user: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faults_support import AUTHORS_WATCHLIST

    (isolated_user / "radar.yaml").write_text(AUTHORS_WATCHLIST, encoding="utf-8")
    feed_server.route("/api/", lambda seen: Answer(307, headers={"Location": "/api/query"}))
    use_loopback(monkeypatch, feed_server)
    result = run("today")
    assert result.code == 3, result.err
    errors = lines_matching(result.err, "^error:")
    assert len(errors) == 1, result.err
    assert "a redirect loop (back to" in errors[0]
    assert "Traceback" not in result.err
    assert feed_server.count() == 2  # the query, and its hop back to itself; not retried


def test_a_redirect_to_another_scheme_is_refused(feed_server: Loopback) -> None:
    feed_server.route("/x", Answer(302, headers={"Location": "file:///etc/passwd"}))
    with httpx.Client() as client, pytest.raises(FetchFailedError) as failed:
        fetch(client, feed_server.url + "/x", timeout=5, pacer=MemoryPacer(0))
    assert failed.value.reason == "a redirect to a file address (file:/etc/passwd)"
    assert failed.value.final


def test_https_never_redirects_to_plain_http(feed_server: Loopback) -> None:
    # httpx's MockTransport stands in for a TLS server (its documented test seam); the
    # plain-http target is a real server, which must never be asked.
    target = feed_server.url + "/rss/cs.LG"

    def tls_server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": target})

    mounts = {"https://": httpx.MockTransport(tls_server)}
    with httpx.Client(mounts=mounts) as client, pytest.raises(FetchFailedError) as failed:
        fetch(client, "https://rss.example/rss/cs.LG", timeout=5, pacer=MemoryPacer(0))
    assert failed.value.reason == f"a redirect from https to http ({target}) was refused"
    assert feed_server.count() == 0


def test_a_mirror_redirecting_to_arxiv_keeps_arxivs_spacing() -> None:
    asked: list[str] = []
    slept: list[float] = []

    def server(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.host == "mirror.example":
            return httpx.Response(302, headers={"Location": "https://export.arxiv.org/api/q"})
        # A stream, as from a real server (fetch reads raw bytes, which content= has spent).
        return httpx.Response(200, stream=httpx.ByteStream(b"<feed></feed>"))

    with httpx.Client(transport=httpx.MockTransport(server)) as client:
        answer = fetch(
            client, "https://mirror.example/api/q", timeout=30, pacer=MemoryPacer(0),
            sleep=slept.append,
        )
    assert answer.body == b"<feed></feed>"
    assert asked == ["https://mirror.example/api/q", "https://export.arxiv.org/api/q"]
    assert slept == [3.0]


@pytest.mark.parametrize("header", ["gzip", "deflate", "gzip, deflate"])
def test_an_empty_body_with_a_coding_is_empty(feed_server: Loopback, header: str) -> None:
    feed_server.route("/x", Answer(body=b"", headers={"Content-Encoding": header}))
    with httpx.Client() as client:
        answer = fetch(client, feed_server.url + "/x", timeout=5, pacer=MemoryPacer(0))
    assert answer.body == b""
