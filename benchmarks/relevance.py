"""How well radar's learned relevance ranks a researcher's next papers, beside the baselines.

    python benchmarks/relevance.py [--dev ../shared/relevance-dev] [--limit N]

Runs the dev set's evaluate.py (see its README) twice, with the pools' author lists and with
them emptied (`--strip-pool-authors`, text only), each time with every baseline and with
`radar rank --library {library} {pool} --format jsonl --limit 0`. Prints both tables and, for
each mode, radar's nDCG@20 against the best baseline's. A benchmark, not a test: it reads
data outside the repository and takes minutes (a radar process per case and mode).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV = REPO.parent / "shared" / "relevance-dev"
GOAL = 1.10  # beat the best baseline's nDCG@20 by 10 %


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="the dev set's folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N cases")
    args = parser.parse_args()
    evaluate = args.dev / "evaluate.py"
    if not evaluate.is_file():
        print(f"error: no {evaluate}", file=sys.stderr)
        print("hint: pass --dev PATH to the relevance-dev folder", file=sys.stderr)
        return 2
    radar = f"{shlex.quote(sys.executable)} -m radar --quiet"
    command = f"{radar} rank --library {{library}} {{pool}} --format jsonl --limit 0"
    for mode, extra in (("with authors", []), ("text only", ["--strip-pool-authors"])):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "scores.json"
            argv = [sys.executable, str(evaluate), "--cmd", command, "--json", str(out), *extra]
            if args.limit:
                argv += ["--limit", str(args.limit)]
            print(f"\n## {mode}\n", flush=True)
            subprocess.run(argv, check=True, cwd=args.dev)
            results = json.loads(out.read_text(encoding="utf-8"))["results"]
        ours = results.pop("cmd")["summary"]["nDCG@20"]
        name, best = max(
            ((n, r["summary"]["nDCG@20"]) for n, r in results.items()), key=lambda x: x[1]
        )
        verdict = "met" if ours >= GOAL * best else "NOT met"
        print(
            f"\nradar nDCG@20 {ours:.3f} vs best baseline {name} {best:.3f}: "
            f"{ours / best - 1:+.1%} (goal +10 %: {verdict})",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
