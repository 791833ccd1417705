#!/usr/bin/env python3
"""QUALITY against FAST and OpenCV's Telea, per case, PSNR in the mask against the truth, optionally with a second
(earlier) build's QUALITY beside it: the table docs/benchmarks.md shows for the broader sets (issue 26).

usage: quality_vs_fast.py CASES_DIR [--binary .build/release/watermark-remove] [--before OTHER_BINARY] [--out DIR]
Cases are the harness's format (NAME.input.png / NAME.mask.png / NAME.truth.png), e.g. from broader_marks.py.
"""
from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import cv2
import numpy as np


def psnr(image: np.ndarray, truth: np.ndarray, inside: np.ndarray) -> float:
    mse = ((image.astype(float) - truth.astype(float))[inside] ** 2).mean()
    return 99.0 if mse == 0 else float(10 * np.log10(255 ** 2 / mse))


def run(binary: str, case: Path, mode: str, output: Path) -> np.ndarray:
    if not output.exists():
        subprocess.run([binary, f"{case}.input.png", "--mask", f"{case}.mask.png", "--mode", mode, "-o", str(output)],
                       check=True, capture_output=True)
    return cv2.imread(str(output))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", type=Path)
    parser.add_argument("--binary", default=".build/release/watermark-remove")
    parser.add_argument("--before", help="another build's watermark-remove, for a QUALITY before/after column")
    parser.add_argument("--out", type=Path, default=Path("/tmp/quality-vs-fast"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name.removesuffix(".input.png") for p in args.cases.glob("*.input.png"))
    before = "QUALITY before | " if args.before else ""
    print(f"| case | Telea | FAST | {before}QUALITY | QUALITY − FAST | QUALITY − Telea |")
    print("|---|---|---|---|---|---|" + ("---|" if args.before else ""))
    rows = []
    for name in names:
        case = args.cases / name
        image, truth = cv2.imread(f"{case}.input.png"), cv2.imread(f"{case}.truth.png")
        mask = cv2.imread(f"{case}.mask.png", 0)
        inside = mask > 0
        scores = [psnr(cv2.inpaint(image, mask, 3, cv2.INPAINT_TELEA), truth, inside),
                  psnr(run(args.binary, case, "fast", args.out / f"{name}.fast.png"), truth, inside)]
        if args.before:
            scores.append(psnr(run(args.before, case, "quality", args.out / f"{name}.quality-before.png"), truth, inside))
        scores.append(psnr(run(args.binary, case, "quality", args.out / f"{name}.quality.png"), truth, inside))
        rows.append(scores)
        cells = " | ".join(f"{v:.2f}" for v in scores)
        print(f"| {name} | {cells} | {scores[-1] - scores[1]:+.2f} | {scores[-1] - scores[0]:+.2f} |")
    table = np.array(rows)
    telea, fast, quality = table[:, 0], table[:, 1], table[:, -1]
    print(f"\n{len(table)} cases: QUALITY − Telea mean {np.mean(quality - telea):+.2f} dB; QUALITY below FAST on "
          f"{int((quality < fast).sum())} (worst {np.min(quality - fast):+.2f} dB), below Telea on {int((quality < telea).sum())}; "
          f"FAST below Telea on {int((fast < telea).sum())}")
    if args.before:
        earlier = table[:, 2]
        print(f"before: QUALITY − Telea mean {np.mean(earlier - telea):+.2f} dB; below FAST on {int((earlier < fast).sum())} "
              f"(worst {np.min(earlier - fast):+.2f} dB), below Telea on {int((earlier < telea).sum())}")


if __name__ == "__main__":
    main()
