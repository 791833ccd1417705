#!/usr/bin/env python3
"""Harder video clips than the shared harness's default set, made by that harness's own generator.

`../shared/bench/video/make_videos.py` is imported (not copied): its `build_clip` draws the photo, the watermark, the
moving objects and the noise and writes every file `run_bench.py` scores, so these clips are scored against the
same anchors and the same ceiling. Four cases change one thing each:

  long    20 s (500 frames) instead of 3.2 s: quality over a longer shot, and memory against length
  shake   a hand-held camera: the slow pan and zoom plus a jitter of ~0.6 % of the width (peaks ~1.5 %) and
          ~0.3 degrees of rotation from frame to frame (the follower models zoom + shift only)
  cuts    three scenes (three photos), cut hard at a third and at two thirds of the clip
  lowq    the input encoded at CRF 32 instead of 18 (a re-shared, heavily compressed source)

each with a semi-transparent corner logo and with an opaque channel bug (`--kinds`), at 1280x720 (`--size`).

  python3 benchmarks/video_hard_cases.py --out /tmp/video-hard [--seed 5] [--cases long,shake,cuts,lowq]
  python3 ../shared/bench/video/run_bench.py --clips /tmp/video-hard ...   (or benchmarks/video.sh /tmp/video-hard)

Needs what make_videos.py needs (ffmpeg, numpy, OpenCV, scikit-image, Pillow, DejaVu fonts).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PIL import Image

CASES = ["long", "shake", "cuts", "lowq"]


def harness_module(path: Path):
    sys.path.insert(0, str(path))
    import make_videos  # noqa: E402  (the shared generator)

    return make_videos


def shaken(ken_burns, seed: int):
    """`ken_burns` with a hand-held shake on top: per frame a shift and a rotation about the frame's centre that
    follow a random walk pulled back to rest (AR(1), so consecutive frames are close and the shake never drifts)."""

    def shaky(src_w, src_h, w, h, n, rng):
        mats, params = ken_burns(src_w, src_h, w, h, n, rng)
        jitter = np.random.default_rng([seed, 4242])  # its own stream: the clip's own draws stay as they are
        pull, step_px, step_deg = 0.8, 0.0036 * w, 0.18
        dx = dy = deg = 0.0
        out, path = [], []
        for m in mats:
            dx = pull * dx + jitter.normal(0, step_px)
            dy = pull * dy + jitter.normal(0, step_px)
            deg = pull * deg + jitter.normal(0, step_deg)
            a = np.deg2rad(deg)
            c, s = np.cos(a), np.sin(a)
            # output pixel p -> rotate about the centre and shift -> the Ken Burns matrix's output pixel
            cx, cy = w / 2, h / 2
            shake = np.array([[c, -s, cx - c * cx + s * cy + dx], [s, c, cy - s * cx - c * cy + dy], [0, 0, 1]])
            out.append((np.vstack([m, [0, 0, 1]]) @ shake)[:2])
            path.append((dx, dy, deg))
        shifts = np.array(path)
        params["shake"] = {"ar1_pull": pull, "step_px": round(step_px, 3), "step_deg": step_deg,
                           "max_shift_px": round(float(np.abs(shifts[:, :2]).max()), 2),
                           "max_rotation_deg": round(float(np.abs(shifts[:, 2]).max()), 3),
                           "mean_frame_to_frame_px": round(float(np.hypot(*np.diff(shifts[:, :2], axis=0).T).mean()), 3)}
        return out, params

    return shaky


def scenes(ken_burns, panels):
    """`ken_burns` over a montage of photos side by side (`panels`: x offset, width, height of each): one Ken Burns
    shot per photo, for an equal share of the frames each, so the clip cuts hard between them."""

    def cutting(src_w, src_h, w, h, n, rng):
        bounds = [round(n * k / len(panels)) for k in range(len(panels) + 1)]
        mats, shots = [], []
        for (x0, pw, ph), start, end in zip(panels, bounds, bounds[1:]):
            shot, params = ken_burns(pw, ph, w, h, end - start, rng)
            for m in shot:
                m = m.copy()
                m[0, 2] += x0
                mats.append(m)
            shots.append(params)
        return mats, {"shots": shots, "cuts_at_frames": bounds[1:-1]}

    return cutting


def montage(data_dir: Path, names, out: Path, gap=32) -> list:
    """The photos `names` side by side (tops aligned, `gap` black pixels between) saved as `out`; their panels."""
    photos = [np.asarray(Image.open(data_dir / n).convert("RGB")) for n in names]
    height = max(p.shape[0] for p in photos)
    width = sum(p.shape[1] for p in photos) + gap * (len(photos) - 1)
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    panels, x = [], 0
    for p in photos:
        canvas[:p.shape[0], x:x + p.shape[1]] = p
        panels.append((x, p.shape[1], p.shape[0]))
        x += p.shape[1] + gap
    Image.fromarray(canvas).save(out)
    return panels


def main(argv=None) -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output folder (created): CASE/CLIP/… and clips.json")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--kinds", default="logo,bug")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--harness", default=str(root.parent / "shared" / "bench" / "video"))
    args = ap.parse_args(argv)
    mv = harness_module(Path(args.harness))
    w, h = (int(v) for v in args.size.lower().split("x"))
    cases = [c for c in args.cases.split(",") if c]
    kinds = [k for k in args.kinds.split(",") if k]
    for case in cases:
        if case not in CASES:
            ap.error(f"unknown case {case!r}; choose from {CASES}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fonts = mv.Fonts()
    data_dir = mv.skimage_data_dir()
    original_ken_burns, original_data_dir = mv.ken_burns, mv.skimage_data_dir
    clips = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        for ci, case in enumerate(cases):
            for kind in kinds:
                ki = mv.KINDS.index(kind)
                settings = SimpleNamespace(seconds=3.2, fps=25, noise=1.5, dilate=2, crf=18, preset="medium",
                                           no_verify=False)
                source = mv.SOURCES[(ci + ki * 2) % len(mv.SOURCES)]
                mv.ken_burns, mv.skimage_data_dir = original_ken_burns, original_data_dir
                if case == "long":
                    settings.seconds = 20.0
                elif case == "lowq":
                    settings.crf = 32
                elif case == "shake":
                    mv.ken_burns = shaken(original_ken_burns, args.seed * 100 + ci * 10 + ki)
                elif case == "cuts":
                    names = [mv.SOURCES[(ci + ki * 2 + k) % len(mv.SOURCES)] for k in range(3)]
                    source = "montage_" + "_".join(Path(n).stem for n in names) + ".png"
                    panels = montage(data_dir, names, Path(scratch) / source)
                    mv.ken_burns = scenes(original_ken_burns, panels)
                    mv.skimage_data_dir = lambda: Path(scratch)
                started = time.perf_counter()
                clip = mv.build_clip(out / case, w, h, kind, source, 0, args.seed, ci, ki, settings, fonts)
                clip["name"] = f"{case}_{clip['name']}"
                clip["dir"] = f"{case}/{clip['dir']}"
                clip["case"] = case
                clips.append(clip)
                v = clip["verify"]
                print(f"{clip['name']:44s} {clip['frames']} fr  H.264 {v['h264_kbit_per_s']:7.0f} kbit/s, "
                      f"PSNR vs lossless {v['h264_vs_lossless_psnr_frame_db']:.2f} dB  "
                      f"{time.perf_counter() - started:.1f}s", flush=True)
        mv.ken_burns, mv.skimage_data_dir = original_ken_burns, original_data_dir
    manifest = {"generator": "benchmarks/video_hard_cases.py (make_videos.build_clip)", "seed": args.seed,
                "cases": cases, "kinds": kinds, "size": args.size, "fonts": fonts.describe(), "clips": clips}
    (out / "clips.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(clips)} clips to {out} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
