"""What the learned relevance costs: `python benchmarks/relevance_speed.py [--dev PATH]`.

Figures (medians of a few repetitions, each beside its baseline without a library):
  1. fitting and applying the model for a 1,000-entry library against a 2,000-paper day,
     in process (numpy already imported), and importing numpy once;
  2. `radar rank` as a command on a 200-paper pool with a <= 50-entry library, beside
     `python -c pass` and `radar --help` measured in the same run (the machine's load moves
     every figure; their ratios move less).
Real papers from the relevance dev set (../shared/relevance-dev). Nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV = REPO.parent / "shared" / "relevance-dev"
REPEATS = 5
LIBRARY = 50  # entries in the library of the `radar rank` figure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="the dev set's folder")
    args = parser.parse_args()
    if not (args.dev / "cases").is_dir():
        print(f"error: no {args.dev / 'cases'}", file=sys.stderr)
        print("hint: pass --dev PATH to the relevance-dev folder", file=sys.stderr)
        return 2
    fit_figures(args.dev)
    command_figures(args.dev)
    return 0


def fit_figures(dev: Path) -> None:
    from radar.library.bibtex import read_bibtex
    from radar.library.entries import Library, LibraryEntry
    from radar.rank import rank
    from radar.relevance.model import learn
    from radar.relevance.pool import paper_from
    from radar.watchlist import Config

    entries: list[LibraryEntry] = []
    papers = {}
    for case in sorted((dev / "cases").iterdir()):
        entries += read_bibtex(case / "library.bib")[0]
        for line in (case / "pool.jsonl").read_text(encoding="utf-8").splitlines():
            paper = paper_from(json.loads(line))
            if not isinstance(paper, str):
                papers[paper.key] = paper
    pool = list(papers.values())
    # Library papers beyond the dev libraries' 439: other real papers, as a reader's would be.
    extra = [LibraryEntry(p.title, p.abstract, p.authors) for p in pool[2_000:]]
    library = Library(positives=tuple([*entries, *extra][:1_000]))
    day = pool[:2_000]
    config = Config(path=None, name="bench", topics=())
    started = time.perf_counter()
    import numpy  # noqa: F401  # the import, once, measured on its own

    imported = time.perf_counter() - started
    plain, learned = [], []
    for _ in range(REPEATS):
        started = time.perf_counter()
        rank(day, config, everything=True)
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        rank(day, config, None, learn(library, day, config.weights), everything=True)
        learned.append(time.perf_counter() - started)
    print(f"library {len(library.positives)} entries, day {len(day)} papers ({date.today()})")
    print(f"  rank without a library       {statistics.median(plain):6.3f} s")
    print(f"  fit + rank with the library  {statistics.median(learned):6.3f} s  (target < 2 s)")
    print(f"  importing numpy              {imported:6.3f} s  (once per process that fits)")


def command_figures(dev: Path) -> None:
    cases = sorted((dev / "cases").iterdir())
    case = max(cases, key=lambda c: (c / "library.bib").read_text(encoding="utf-8").count("\n@"))
    # The largest dev library has fewer than 50 entries: the others' entries fill it up.
    chunks: list[str] = []
    for other in sorted(cases, key=lambda c: c != case):
        text = (other / "library.bib").read_text(encoding="utf-8")
        chunks += ["@" + c for c in text.split("\n@") if c.strip()]
    bib = Path(tempfile.mkdtemp(prefix="relevance-speed-")) / "library.bib"
    bib.write_text("\n".join(c.replace("@@", "@", 1) for c in chunks[:LIBRARY]), encoding="utf-8")
    radar = [sys.executable, "-m", "radar", "--quiet", "rank"]
    pool = str(case / "pool.jsonl")
    with_library = [*radar, "--library", str(bib), pool, "-f", "jsonl"]
    python, helped, plain, learned = [], [], [], []
    runs = (
        ([sys.executable, "-c", "pass"], python),
        ([sys.executable, "-m", "radar", "--help"], helped),
        ([*radar, pool, "-f", "jsonl"], plain),
        (with_library, learned),
    )
    for _ in range(REPEATS):
        for argv, times in runs:
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    entries = bib.read_text(encoding="utf-8").count("@article")
    print(f"`radar rank`, 200-paper pool, {entries}-entry library (pool of {case.name})")
    print(f"  python -c pass               {statistics.median(python):6.3f} s")
    print(f"  radar --help                 {statistics.median(helped):6.3f} s")
    print(f"  without a library            {statistics.median(plain):6.3f} s")
    print(f"  with the library             {statistics.median(learned):6.3f} s  (target < 1 s)")
    shutil.rmtree(bib.parent)


if __name__ == "__main__":
    raise SystemExit(main())
