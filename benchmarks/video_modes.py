#!/usr/bin/env python3
"""FAST against QUALITY for videos, side by side in one run: both modes of `watermark-remove` on every clip of a
shared-harness clip set (../shared/bench/video, or benchmarks/video_hard_cases.py), interleaved repeat by repeat so
load hits both alike, scored with the harness's own `quality` (PSNR in the mask, its worst frame, temporal error)
and timed (RTF, and QUALITY's time over FAST's per clip). Lossless output, so the score is the method's.

    python3 benchmarks/video_modes.py --clips CLIPS [--repeats 3] [--filter 1280x720] [--out-md FILE]

Needs a release build (`swift build -c release --product watermark-remove`) and the harness's Python packages.
"""
from __future__ import annotations

import argparse
import math
import pathlib
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
HARNESS = ROOT.parent / "shared" / "bench" / "video"
sys.path.insert(0, str(HARNESS))
import numpy as np  # noqa: E402
import run_bench  # noqa: E402
import videoio  # noqa: E402

MODES = ("fast", "quality")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", required=True, type=pathlib.Path)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--filter", default="", help="only clips whose name contains this")
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / ".build" / "release" / "watermark-remove")
    parser.add_argument("--out-md", type=pathlib.Path)
    args = parser.parse_args()
    clips = [c for c in videoio.read_json(args.clips / "clips.json")["clips"] if args.filter in c["name"]]
    rows = []
    with tempfile.TemporaryDirectory(prefix="video-modes-") as work:
        for clip in clips:
            directory = args.clips / clip["dir"]
            truth = videoio.decode_rgb(directory / clip["files"]["truth"])
            masks = np.where(videoio.decode_gray(directory / clip["files"]["mask_track"]) > 0, 255, 0).astype(np.uint8)
            source = directory / clip["files"]["input"]
            marked = videoio.decode_rgb(source)
            boxes = run_bench.frame_bboxes(clip)
            row = {"clip": clip["name"], "kind": clip["kind"], "seconds": clip["seconds"], "input": run_bench.quality(marked, truth, marked, masks, boxes)}
            for repeat in range(args.repeats):
                for mode in (MODES if repeat % 2 == 0 else MODES[::-1]):
                    output = pathlib.Path(work) / f"{clip['name']}-{mode}.mkv"
                    argv = [str(args.binary), str(source), "--mask-track", str(directory / clip["files"]["mask_json"]), "--lossless",
                            "--mode", mode, "-o", str(output)]
                    result = run_bench.run_process(argv, shell=False, timeout=1800)
                    if not result["ok"]:
                        raise SystemExit(f"{clip['name']} {mode}: {result.get('error')}")
                    row.setdefault(f"{mode}_ms", []).append(result["wall_ms"])
                    if mode not in row:
                        row[mode] = run_bench.quality(videoio.decode_rgb(output), truth, marked, masks, boxes)
                    output.unlink()
            rows.append(row)
            print(f"{clip['name']}: " + ", ".join(f"{mode} {row[mode]['psnr_mask']:.2f} dB" for mode in MODES), file=sys.stderr)
    table = render(rows, args)
    print(table)
    if args.out_md:
        args.out_md.write_text(table)


def render(rows: list[dict], args) -> str:
    lines = [f"`benchmarks/video_modes.py --clips {args.clips} --repeats {args.repeats}" + (f" --filter {args.filter}" if args.filter else "") + "`", "",
             "| clip | do nothing | FAST | QUALITY | worst frame FAST / QUALITY | tdiff err nothing / FAST / QUALITY | RTF FAST / QUALITY | time QUALITY ÷ FAST |",
             "|---|---|---|---|---|---|---|---|"]
    ratios = []
    for row in rows:
        fast, quality = statistics.median(row["fast_ms"]), statistics.median(row["quality_ms"])
        ratios.append(quality / fast)
        lines.append(f"| {row['clip']} | {row['input']['psnr_mask']:.2f} | {row['fast']['psnr_mask']:.2f} | **{row['quality']['psnr_mask']:.2f}** | "
                     f"{row['fast']['psnr_mask_min']:.2f} / {row['quality']['psnr_mask_min']:.2f} | "
                     f"{row['input']['tdiff_err']:.3f} / {row['fast']['tdiff_err']:.3f} / {row['quality']['tdiff_err']:.3f} | "
                     f"{row['seconds'] / fast * 1000:.2f} / {row['seconds'] / quality * 1000:.2f} | {quality / fast:.2f} |")
    kinds = sorted({row["kind"] for row in rows})
    lines += ["", "| kind | FAST | QUALITY | QUALITY − FAST (worst clip) |", "|---|---|---|---|"]
    for kind in kinds:
        some = [row for row in rows if row["kind"] == kind]
        gains = [row["quality"]["psnr_mask"] - row["fast"]["psnr_mask"] for row in some]
        lines.append(f"| {kind} | {statistics.mean(r['fast']['psnr_mask'] for r in some):.2f} | {statistics.mean(r['quality']['psnr_mask'] for r in some):.2f} | "
                     f"{statistics.mean(gains):+.2f} ({min(gains):+.2f}) |")
    lines += ["", f"QUALITY's time over FAST's, geometric mean over clips: {math.exp(statistics.mean(math.log(r) for r in ratios)):.2f}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
