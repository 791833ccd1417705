#!/usr/bin/env python3
"""Two builds of contractgen side by side, interleaved in one run (the machine is noisy: compare ratios).

    python3 benchmarks/generator_builds.py BEFORE_BINARY AFTER_BINARY [--runs 15]

For this package's contracts (API, database layer, lint) and OpenAI's description from the shared corpus (API,
leniently, as docs/benchmarks.md times it), each build runs in turn `--runs` times; the median wall times and
their ratio (after ÷ before) are printed as Markdown. Build the "before" binary from an earlier commit in a
worktree (`git worktree add /tmp/before REV && cd /tmp/before && swift build -c release --product contractgen`).
"""
from __future__ import annotations

import argparse
import pathlib
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
OPENAI = ROOT.parent / "shared" / "corpus" / "openapi" / "openai.yaml"


def jobs(out: str) -> dict[str, list[str]]:
    contracts = str(ROOT / "contracts")
    found = {
        "contracts: generate (API)": ["generate", "--contracts", contracts, "--output", out + "/api", "--shards", "8"],
        "contracts: generate --emit database": ["generate", "--contracts", contracts, "--output", out + "/db", "--emit", "database"],
        "contracts: lint": ["lint", contracts],
    }
    if OPENAI.exists():
        found["openai: generate --lenient (API)"] = ["generate", "--contracts", str(OPENAI), "--output", out + "/openai", "--shards", "8", "--lenient"]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        print("| job | before (median ms) | after (median ms) | after ÷ before |")
        print("|---|---|---|---|")
        for name, arguments in jobs(out).items():
            times: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(args.runs):
                for label, binary in (("before", args.before), ("after", args.after)):
                    start = time.perf_counter()
                    done = subprocess.run([binary, *arguments], capture_output=True, text=True)
                    times[label].append((time.perf_counter() - start) * 1000)
                    if done.returncode not in (0, 1) or (name.endswith("(API)") and done.returncode != 0):
                        raise SystemExit(f"{binary} {' '.join(arguments)} failed ({done.returncode}): {done.stderr[-2000:]}")
            before, after = statistics.median(times["before"]), statistics.median(times["after"])
            print(f"| {name} | {before:.0f} | {after:.0f} | {after / before:.2f} |")


if __name__ == "__main__":
    main()
