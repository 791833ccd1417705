#!/usr/bin/env python3
"""Peak memory of `watermark remove --mode fast` on the harness's 1080p cases, against the issue's goal
"peak memory under 4x the decoded image size for FAST".

- whole process: the peak RSS (`/usr/bin/time -f %M`, the kernel's ru_maxrss) of `watermark remove …` as a
  user runs it. `watermark` hands `remove` to the small `watermark-remove` executable with execv before it
  parses anything (Sources/watermark/RemoveHandOff.swift); ru_maxrss is the larger of the two images' peaks.
- `watermark-remove` run directly (must write the same bytes), and what FAST adds above its own
  baseline, the peak RSS of `watermark-remove --help`.

    python3 benchmarks/fast_memory.py /tmp/inpaint-cases [--runs 3]

`WATERMARK_BIN` overrides the binary (default .build/release/watermark; `watermark-remove` is taken from
the same directory). Prints a Markdown table.
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = os.environ.get("WATERMARK_BIN", str(ROOT / ".build" / "release" / "watermark"))
REMOVE_BIN = str(pathlib.Path(BIN).with_name("watermark-remove"))


def peak_mb(argv, runs):
    """The largest peak RSS of `runs` runs of argv, in MB (10^6 bytes)."""
    peaks = []
    for _ in range(runs):
        result = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB=%M", *argv], capture_output=True, text=True)
        match = re.search(r"MAXRSS_KB=(\d+)", result.stderr)
        if result.returncode != 0 or not match:
            sys.exit(f"{' '.join(argv)} failed: {result.stderr.strip()[-400:]}")
        peaks.append(int(match.group(1)) * 1024 / 1e6)
    return max(peaks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=3, help="peak of each case is the largest of this many runs")
    args = parser.parse_args()
    inputs = sorted(args.cases.glob("1920x1080_*.input.png"))
    if not inputs:
        sys.exit(f"no 1920x1080 cases in {args.cases} (make them with the harness's make_dataset.py)")
    baseline = peak_mb([REMOVE_BIN, "--help"], args.runs)
    print("| case | decoded RGB MB | `watermark remove` peak RSS MB | peak / decoded | `watermark-remove` alone MB | above its baseline MB | above baseline / decoded |")
    print("|---|---|---|---|---|---|---|")
    worst = (0.0, 0.0)
    with tempfile.TemporaryDirectory() as scratch:
        for path in inputs:
            name = path.name[: -len(".input.png")]
            width, height = Image.open(path).size
            decoded = width * height * 3 / 1e6
            work = [str(path), "--mask", str(path.with_name(name + ".mask.png")), "--mode", "fast"]
            peak = peak_mb([BIN, "remove", *work, "-o", f"{scratch}/out.png"], args.runs)
            alone = peak_mb([REMOVE_BIN, *work, "-o", f"{scratch}/alone.png"], args.runs)
            if pathlib.Path(f"{scratch}/alone.png").read_bytes() != pathlib.Path(f"{scratch}/out.png").read_bytes():
                sys.exit(f"{name}: watermark-remove run directly wrote other bytes than `watermark remove`")
            above = alone - baseline
            worst = (max(worst[0], peak / decoded), max(worst[1], above / decoded))
            print(f"| {name} | {decoded:.1f} | {peak:.1f} | {peak / decoded:.2f}x | {alone:.1f} | {above:.1f} | {above / decoded:.2f}x |")
    handoff = peak_mb([BIN, "remove", "--help"], args.runs)
    print(f"| `watermark remove --help` (hand-off included) | — | {handoff:.1f} | — | — | — | — |")
    print(f"| `watermark-remove --help` (baseline) | — | — | — | {baseline:.1f} | — | — |")
    print(f"\nworst: whole process {worst[0]:.2f}x the decoded image (goal < 4x), FAST above the baseline {worst[1]:.2f}x")


if __name__ == "__main__":
    main()
