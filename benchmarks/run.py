"""radar's performance figures, measured here and now: `python benchmarks/run.py [--quick]`.

Each timing is the median of several repetitions, interleaved with its baseline so that
load on the machine hits both alike, and reported as a ratio to that baseline; the other
figures are counts and sizes. Nothing here asserts: the last column says whether each
target holds. docs/performance.md explains the figures.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import corpus  # noqa: E402
import harness  # noqa: E402
from harness import Row  # noqa: E402

from loopback import Answer, Loopback, Seen  # noqa: E402

DAY_PAPERS = 2_000
AUTHORS = 25  # watched authors in the network figures: ceil(25 / 10) = 3 API requests
SEEDS = 250  # similar_to ids: ceil(250 / 100) = 3 id_list requests
ARXIV_SPACING = 3.0
# A year of a five-category watchlist: categories, new + cross-listed papers per category
# and announcement day (cs.LG alone announces more; most categories fewer), days.
YEAR = (5, 150, 250)
NEVER = ("anthropic", "arxiv", "requests", "lxml")  # what a run without them must not import


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (~1 minute)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", default="123456", help="figures to measure, e.g. 23")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="radar-bench-") as scratch:
        bench = Bench(Path(scratch), quick=args.quick)
        try:
            rows = bench.measure(args.only)
        finally:
            bench.close()
    print_table(rows, markdown=args.markdown)
    for row in rows:
        for note in row.notes:
            print(note)
    elapsed = time.perf_counter() - started
    from importlib.metadata import version

    stack = ", ".join(f"{name} {version(name)}" for name in ("typer", "rich", "diskcache"))
    print(f"\n{len(rows)} figures in {elapsed:.0f} s; Python {sys.version.split()[0]}, {stack}")
    return 0


class Bench:
    def __init__(self, scratch: Path, *, quick: bool) -> None:
        self.scratch = scratch
        self.quick = quick
        self.reps = 7 if quick else 21
        self.home = scratch / "home"
        self.home.mkdir()
        self.feed = corpus.feed_xml(DAY_PAPERS)
        self.arxiv = Loopback().start()
        self.arxiv.route("/rss/", Answer(body=self.feed))
        self.arxiv.route("/api/query", self._api_answer)
        self.radar = harness.radar_command()
        self._runs = 0

    def close(self) -> None:
        self.arxiv.stop()

    def measure(self, only: str) -> list[Row]:
        figures: dict[str, Callable[[], list[Row]]] = {
            "1": self.startup,
            "2": self.warm,
            "3": self.scale,
            "4": self.network,  # with 5, the cache footprint after its cold run
            "6": self.briefing,
        }
        rows: list[Row] = []
        for number, figure in figures.items():
            if number in only or (number == "4" and "5" in only):
                rows += figure()
        return rows

    # -- the world the runs see -------------------------------------------------------------

    @staticmethod
    def _api_answer(seen: Seen) -> Answer:
        ids = [i for value in seen.query.get("id_list", []) for i in value.split(",") if i]
        body = corpus.id_list_answer(ids) if ids else corpus.author_search_answer()
        return Answer(body=body, content_type="application/atom+xml; charset=utf-8")

    def env(self, watchlist: str | None = None, **extra: str) -> dict[str, str]:
        """A new cache and a watchlist (default: 5 categories, 25 authors, 10 keywords)."""
        self._runs += 1
        config = self.home / f"radar-{self._runs}.yaml"
        config.write_text(watchlist or self.watchlist(), encoding="utf-8")
        return harness.isolated_env(
            self.home,
            RADAR_CONFIG=str(config),
            RADAR_CACHE_DIR=str(self.scratch / f"cache-{self._runs}"),
            RADAR_ARXIV_RSS_URL=self.arxiv.url + "/rss/",
            RADAR_ARXIV_API_URL=self.arxiv.url + "/api/query",
            **extra,
        )

    @staticmethod
    def watchlist(*, similar_to: list[str] | None = None, spacing: float = 0) -> str:
        return corpus.watchlist_yaml(
            authors=corpus.watched_authors(AUTHORS),
            keywords=corpus.keywords(10),
            similar_to=similar_to,
            spacing=spacing,
        )

    def today(self, env: dict[str, str]) -> tuple[float, int]:
        """One `radar today --format json`: (wall seconds, requests arXiv saw)."""
        self.arxiv.requests.clear()
        started = time.perf_counter()
        harness.run([*self.radar, "today", "--format", "json"], env)
        return time.perf_counter() - started, len(self.arxiv.requests)

    # -- 1. start-up --------------------------------------------------------------------------

    def startup(self) -> list[Row]:
        env = self.env()
        self.today(env)  # a cached day, for the runs that read one
        times = harness.interleaved(
            {
                "baseline": ([harness.PY, "-c", "import typer, rich.console"], env),
                "help": ([*self.radar, "--help"], env),
            },
            self.reps,
        )
        ratio = times["help"] / times["baseline"]
        help_row = Row(
            "1. `radar --help` wall time",
            ms(times["help"]),
            ms(times["baseline"]) + " (import typer, rich.console)",
            f"{ratio:.2f}x",
            "≤ 1.30x",
            ratio <= 1.30,
        )
        top = harness.import_top(["-m", "radar", "--help"], env)
        help_row.notes = ["\n`python -X importtime -m radar --help`, top 10 cumulative:", *top]
        rows = [help_row]
        checks: list[tuple[str, list[str], dict[str, str], tuple[str, ...]]] = [
            ("--help", ["--help"], env, ()),
            ("today --offline -f json", ["today", "--offline", "-f", "json"], env, ()),
            ("today --offline -f markdown", ["today", "--offline", "-f", "markdown"], env, ()),
            ("today -f json, day cached", ["today", "-f", "json"], env, ()),
            ("brief --offline, no API key", ["brief", "--offline", "-f", "json"], env, ()),
            ("today -f json, cold", ["today", "-f", "json"], self.env(), NEVER[1:]),
        ]
        for label, args, run_env, needed in checks:
            code, loaded = harness.imported_by(args, run_env)
            unwanted = [m for m in NEVER if m in loaded and m not in needed]
            missing = [m for m in needed if m not in loaded]
            target = "none of " + "/".join(NEVER)
            if needed:
                target = f"{'/'.join(needed)} (it asks the API); no {NEVER[0]}"
            rows.append(
                Row(
                    f"1. imports of `radar {label}`",
                    ", ".join(m for m in loaded if m in NEVER) or "none of them",
                    target=target,
                    holds=code == 0 and not unwanted and not missing,
                )
            )
        return rows

    # -- 2. warm run --------------------------------------------------------------------------

    def warm(self) -> list[Row]:
        env = self.env()
        self.today(env)
        times = harness.interleaved(
            {
                "help": ([*self.radar, "--help"], env),
                "warm": ([*self.radar, "today", "--offline", "--format", "json"], env),
            },
            self.reps,
        )
        ratio = times["warm"] / times["help"]
        return [
            Row(
                f"2. warm `radar today --offline --format json`, {DAY_PAPERS:,} papers",
                ms(times["warm"]),
                ms(times["help"]) + " (radar --help)",
                f"{ratio:.2f}x",
                "≤ 2.00x",
                ratio <= 2.0,
            )
        ]

    # -- 3. scale -----------------------------------------------------------------------------

    def scale(self) -> list[Row]:
        import radar.keywords
        import radar.names
        from radar.config import parse_config
        from radar.keywords import KeywordMatcher, PhraseLists
        from radar.models import Report
        from radar.rank import rank
        from radar.render.json import render_json

        config = parse_config(
            corpus.watchlist_yaml(authors=corpus.watched_authors(50), keywords=corpus.keywords(50)),
            None,
        )
        papers = corpus.papers(100_000)

        def rank_and_render(count: int) -> float:
            # A run ranks once: it starts with no name or text folded yet.
            radar.names.normalize_name.cache_clear()
            radar.names._parse.cache_clear()
            radar.keywords._fold.cache_clear()
            started = time.perf_counter()
            ranking = rank(papers[:count], config)
            day = date(2024, 11, 28)
            render_json(
                Report(
                    watchlist=config.name,
                    day=day,
                    requested_day=day,
                    state="cached",
                    papers=ranking.ranked,
                    total=len(ranking.ranked),
                    counts=ranking.counts,
                    ranking=ranking.ranked,
                )
            )
            return time.perf_counter() - started

        rounds = 1 if self.quick else 3
        small = statistics.median(rank_and_render(10_000) for _ in range(rounds))
        large = statistics.median(rank_and_render(100_000) for _ in range(rounds))
        normalised = radar.names.normalize_name.cache_info().misses
        # Names of the papers rank looks at (replacements are not among the announce_types).
        distinct = len(
            {a for p in papers if p.announce_type in ("new", "cross") for a in p.authors}
        )

        # Scans per paper, counted on a watchlist of four keyword lists and two exclude lists.
        topics = "topics:\n" + "".join(
            f"  t{n}:\n    keywords: [{', '.join(corpus.keywords(40)[10 * n : 10 * n + 10])}]\n"
            f"    exclude: [{corpus.keywords(50)[40 + n]}]\n"
            for n in range(3)
        )
        several = parse_config(corpus.watchlist_yaml(keywords=corpus.keywords(10)) + topics, None)
        scans = 0
        plain_scan = KeywordMatcher._scan

        def counted(
            matcher: KeywordMatcher, text: str, split: int
        ) -> tuple[set[int], set[int]]:
            nonlocal scans
            scans += 1
            return plain_scan(matcher, text, split)

        KeywordMatcher._scan = counted  # type: ignore[method-assign]
        try:
            scored = len([p for p in papers[:1_000] if p.announce_type in several.announce_types])
            rank(papers[:1_000], several)
        finally:
            KeywordMatcher._scan = plain_scan  # type: ignore[method-assign]
        matcher = PhraseLists([corpus.keywords(50)])._matcher
        patterns = 1 if matcher._word_ascii is not None and matcher._other is None else 2
        return [
            Row(
                "3. rank + render JSON, 100k papers, 50 authors + 50 keywords",
                f"{large:.2f} s",
                f"{small:.2f} s (10k papers)",
                f"{large / small:.1f}x",
                "≤ 12x; ≤ 5 s",
                large / small <= 12 and large <= 5.0,
            ),
            Row(
                "3. keyword scans per paper, 4 topics' lists + exclude lists",
                f"{scans / scored:.2f}; {patterns} pattern for 50 phrases",
                target="≤ 1 (title and abstract together); 1 pattern",
                holds=scans <= scored and patterns == 1,
            ),
            Row(
                "3. name normalisations per distinct author name",
                f"{normalised / distinct:.3f} ({normalised:,} for {distinct:,} names)",
                target="≤ 1.05 (cached)",
                holds=normalised / distinct <= 1.05,
            ),
        ]

    # -- 4 and 5. network economy, cache footprint --------------------------------------------

    def network(self) -> list[Row]:
        expected = 1 + math.ceil(AUTHORS / 10)
        walls, counts = [], set()
        for _ in range(3 if self.quick else 5):
            env = self.env()
            wall, count = self.today(env)
            walls.append(wall)
            counts.add(count)
        rows = [
            Row(
                f"4. requests, cold `radar today`: 5 categories, {AUTHORS} authors",
                "/".join(map(str, sorted(counts))),
                target=f"1 feed + ⌈{AUTHORS}/10⌉ API = {expected}",
                holds=counts == {expected},
            )
        ]
        _, warm = self.today(env)
        rows.append(Row("4. requests, warm `radar today`", str(warm), target="0", holds=warm == 0))

        self.today(self.env(self.watchlist(similar_to=[corpus.new_id(i) for i in range(SEEDS)])))
        batches = [
            sum(len(value.split(",")) for value in seen.query["id_list"])
            for seen in self.arxiv.requests
            if seen.query.get("id_list")
        ]
        full = batches[:-1] or batches  # the last batch holds what is left
        rows.append(
            Row(
                f"4. requests for {SEEDS} similar_to ids",
                f"{len(batches)}, of {'/'.join(map(str, batches))} ids",
                target=f"⌈{SEEDS}/100⌉ = {math.ceil(SEEDS / 100)}, ≥ 100 ids each",
                holds=len(batches) == math.ceil(SEEDS / 100) and min(full) >= 100,
            )
        )
        wall = statistics.median(walls)
        spacing_note = (
            f"\nNetwork: at arXiv's pace, spacing adds exactly {ARXIV_SPACING:.0f} s x"
            f" (requests - 1) = {ARXIV_SPACING * (expected - 1):.0f} s to that cold run."
        )
        rows.append(
            Row(
                f"4. cold run wall time, {DAY_PAPERS:,}-paper day, spacing 0",
                f"{wall:.2f} s",
                target="≤ 1.5 s",
                holds=wall <= 1.5,
                notes=[spacing_note],
            )
        )
        if not self.quick:
            spaced, count = self.today(self.env(self.watchlist(spacing=ARXIV_SPACING)))
            beyond = spaced - ARXIV_SPACING * (count - 1)
            rows.append(
                Row(
                    f"4. the same at 3 s spacing, beyond 3 s x {count - 1}",
                    f"{beyond:.2f} s (wall {spaced:.2f} s)",
                    target="≤ 1.5 s",
                    holds=beyond <= 1.5,
                )
            )
        rows.append(self.footprint(env))
        return rows

    def footprint(self, env: dict[str, str]) -> Row:
        import diskcache

        cache = diskcache.Cache(env["RADAR_CACHE_DIR"])
        try:
            volume = cache.volume()
            # One ranking and one checked watchlist per watchlist, replaced each day: a
            # fixed cost, not growth with the papers kept.
            fixed = sum(
                len(cache.get(key))
                for key in cache.iterkeys()
                if str(key).startswith(("ranking:", "watchlist:"))
            )
        finally:
            cache.close()
        papers = DAY_PAPERS + 10  # the day and the author search's 10 papers
        per_paper = (volume - fixed) / papers
        categories, per_day, days = YEAR
        year = per_paper * categories * per_day * days + fixed
        note = (
            f"\nCache: {volume / 1e6:.1f} MB for {papers:,} papers (the day, an author search,"
            f" seen-state), of which {fixed / 1e6:.1f} MB is the watchlist's kept ranking"
            f" (one per watchlist). A year of {categories} categories x {per_day} new + cross"
            f" papers x {days} days = {categories * per_day * days:,} papers ≈"
            f" {year / 1e6:,.0f} MB."
        )
        return Row(
            "5. cache bytes per paper, after a 2,000-paper day",
            f"{per_paper:,.0f} B",
            target="a year < 1 GiB (size_limit)",
            holds=year < 2**30,
            notes=[note],
        )

    # -- 6. briefing --------------------------------------------------------------------------

    def briefing(self) -> list[Row]:
        from anthropic_server import AnthropicServer, briefing_stream, split_text, stream_reply
        from radar.briefing.prompt import SYSTEM_PROMPT, build_request, local_tokens, user_message
        from radar.briefing.settings import BriefingSettings
        from radar.config import parse_config
        from radar.rank import rank
        from radar.sources.arxiv_feed import parse_feed

        ranked = rank(parse_feed(self.feed).papers, parse_config(self.watchlist(), None)).ranked
        top = ranked[:30]
        request = build_request(top, BriefingSettings())
        sent = local_tokens(request["system"][0]["text"]) + local_tokens(
            request["messages"][0]["content"][0]["text"]
        )
        fixed = local_tokens(SYSTEM_PROMPT) + local_tokens(user_message([]))
        own = local_tokens("".join(f"{r.paper.title}\n{r.paper.abstract}\n" for r in top))
        rows = [
            Row(
                f"6. briefing input tokens, {len(top)} papers (local estimate)",
                f"{sent:,}",
                f"{own + fixed:,} (titles, abstracts, fixed prompt)",
                f"{sent / (own + fixed):.3f}x",
                "≤ 1.15x",
                sent / (own + fixed) <= 1.15,
            )
        ]
        server = AnthropicServer().start()
        try:
            env = self.env(ANTHROPIC_API_KEY="sk-ant-bench-0000", ANTHROPIC_BASE_URL=server.url)
            self.today(env)
            a, b, c, d = (r.paper.arxiv_id for r in top[:4])
            reply = (
                f"## Headline\nToday: [arXiv:{a}] and [arXiv:{b}].\n\n## Themes\n### Signals\n"
                f"[arXiv:{a}] and [arXiv:{c}] study signals.\n\n## Connections\n"
                f"- [arXiv:{b}] and [arXiv:{d}] share a method.\n\n"
                f"## Read first\n- [arXiv:{a}] — the closest match.\n"
            )
            server.replies.append(stream_reply(briefing_stream(split_text(reply))))
            counts = []
            for _ in range(2):
                harness.run([*self.radar, "brief", "--offline", "--format", "json"], env)
                counts.append(len(server.messages()))
        finally:
            server.stop()
        rows.append(
            Row(
                "6. Messages API requests: a briefing, then the same again",
                f"{counts[0]}, then {counts[1] - counts[0]}",
                target="1, then 0",
                holds=counts == [1, 1],
            )
        )
        return rows


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def print_table(rows: list[Row], *, markdown: bool) -> None:
    header = ("figure", "measured", "baseline", "ratio", "target", "holds?")
    cells = [
        (
            r.figure,
            r.measured,
            r.baseline,
            r.ratio,
            r.target,
            "—" if r.holds is None else ("yes" if r.holds else "NO"),
        )
        for r in rows
    ]
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in cells:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        return
    widths = [max(len(row[i]) for row in (header, *cells)) for i in range(len(header))]
    for row in (header, *cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    raise SystemExit(main())
