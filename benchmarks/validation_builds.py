#!/usr/bin/env python3
"""Two builds of `validation-benchmark` (request bodies parsed and decoded through the generated API types) side by
side, alternating in one run; per body the median bodies/s of each build and their ratio (after ÷ before).

    python3 benchmarks/validation_builds.py BEFORE_BINARY AFTER_BINARY [--rounds 5] [--seconds 2]

Build the "before" binary from an earlier commit in a worktree that has the benchmark target (the benchmark's
code is the same on both sides; only the generator, the runtime and so the generated code differ).
"""
from __future__ import annotations

import argparse
import math
import statistics
import subprocess


def run(binary: str, seconds: float) -> dict[str, int]:
    out = subprocess.run([binary, "--seconds", str(seconds)], capture_output=True, text=True, check=True).stdout
    rates = {}
    for line in out.splitlines():
        name, rate, verdict = line.split("\t")
        if verdict != "ok":
            raise SystemExit(f"{binary}: {name}: {verdict}")
        rates[name] = int(rate)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2)
    args = parser.parse_args()
    samples: dict[str, dict[str, list[int]]] = {"before": {}, "after": {}}
    for round_index in range(args.rounds):
        order = [("before", args.before), ("after", args.after)]
        if round_index % 2:
            order.reverse()
        for side, binary in order:
            for name, rate in run(binary, args.seconds).items():
                samples[side].setdefault(name, []).append(rate)
    print(f"| body | before bodies/s (median of {args.rounds}) | after | after ÷ before |")
    print("|---|---|---|---|")
    ratios = []
    for name, before in samples["before"].items():
        after = samples["after"][name]
        ratio = statistics.median(after) / statistics.median(before)
        ratios.append(ratio)
        print(f"| {name} | {statistics.median(before):.0f} | {statistics.median(after):.0f} | {ratio:.2f} |")
    print(f"| geometric mean | | | {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f} |")


if __name__ == "__main__":
    main()
