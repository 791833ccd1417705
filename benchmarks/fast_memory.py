#!/usr/bin/env python3
"""Peak memory of `watermark remove --mode fast` on the harness's 1080p cases, read both ways the
issue's goal ("peak memory under 4x the decoded image size for FAST") can be read:

- the whole process's peak RSS (`/usr/bin/time -f %M`), against 4x the decoded RGB image;
- what FAST adds above the process baseline, the peak RSS of `watermark remove --help`.

    python3 benchmarks/fast_memory.py /tmp/inpaint-cases [--runs 3]

`WATERMARK_BIN` overrides the binary (default .build/release/watermark). Prints a Markdown table.
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


def peak_kb(argv):
    result = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB=%M", *argv], capture_output=True, text=True)
    match = re.search(r"MAXRSS_KB=(\d+)", result.stderr)
    if result.returncode != 0 or not match:
        sys.exit(f"{' '.join(argv)} failed: {result.stderr.strip()[-400:]}")
    return int(match.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=3, help="peak of each case is the largest of this many runs")
    args = parser.parse_args()
    inputs = sorted(args.cases.glob("1920x1080_*.input.png"))
    if not inputs:
        sys.exit(f"no 1920x1080 cases in {args.cases} (make them with the harness's make_dataset.py)")
    baseline = max(peak_kb([BIN, "remove", "--help"]) for _ in range(args.runs))
    print("| case | decoded RGB MB | peak RSS MB | peak / decoded | above baseline MB | above baseline / decoded |")
    print("|---|---|---|---|---|---|")
    worst = (0.0, 0.0)
    with tempfile.TemporaryDirectory() as scratch:
        for path in inputs:
            name = path.name[: -len(".input.png")]
            width, height = Image.open(path).size
            decoded = width * height * 3 / 1e6
            mask = path.with_name(name + ".mask.png")
            argv = [BIN, "remove", str(path), "--mask", str(mask), "-o", f"{scratch}/out.png", "--mode", "fast"]
            peak = max(peak_kb(argv) for _ in range(args.runs)) * 1024 / 1e6
            above = peak - baseline * 1024 / 1e6
            worst = (max(worst[0], peak / decoded), max(worst[1], above / decoded))
            print(f"| {name} | {decoded:.1f} | {peak:.1f} | {peak / decoded:.2f}x | {above:.1f} | {above / decoded:.2f}x |")
    print(f"| `watermark remove --help` (baseline) | — | {baseline * 1024 / 1e6:.1f} | — | — | — |")
    print(f"\nworst: whole process {worst[0]:.2f}x the decoded image, FAST above the baseline {worst[1]:.2f}x (goal < 4x)")


if __name__ == "__main__":
    main()
