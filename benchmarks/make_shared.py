#!/usr/bin/env python3
"""Sets of N images that share ONE watermark (same layers, different photos/crops), for the
multi-image (Dekel et al. 2017 style) detection/estimation. Reuses the harness generator.

usage: make_shared.py --out /tmp/inpaint-shared [--n 8] [--size 1280x720] [--kinds text,logo,tiled,corner]
Writes OUT/<kind>/img_K.png, OUT/<kind>/truth_K.png and OUT/<kind>/mask.png (footprint dilated by 2).
"""
import argparse, sys
from pathlib import Path
import numpy as np
from PIL import Image
sys.path.insert(0, '/work/shared/bench/inpaint')
import make_dataset as md

ap = argparse.ArgumentParser()
ap.add_argument('--out', default='/tmp/inpaint-shared')
ap.add_argument('--n', type=int, default=8)
ap.add_argument('--size', default='1280x720')
ap.add_argument('--kinds', default='text,logo,tiled,corner')
ap.add_argument('--seed', type=int, default=7)
a = ap.parse_args()
w, h = (int(v) for v in a.size.split('x'))
fonts = md.Fonts()
for ki, kind in enumerate(a.kinds.split(',')):
    rng = np.random.default_rng([a.seed, ki])
    layers, params = md.WATERMARKS[kind](w, h, rng, fonts)
    footprint = np.zeros((h, w), bool)
    for cov, _, _ in layers:
        footprint |= np.asarray(cov) > 0
    mask = md.dilate(footprint, 2)
    d = Path(a.out) / kind
    d.mkdir(parents=True, exist_ok=True)
    Image.fromarray(mask.astype(np.uint8) * 255, 'L').save(d / 'mask.png')
    for k in range(a.n):
        src = md.SOURCES[k % len(md.SOURCES)]
        crng = np.random.default_rng([a.seed, ki, k, 99])
        truth = np.asarray(md.fit_crop(md.load_source(src), w, h, crng), dtype=np.uint8)
        if k >= len(md.SOURCES):  # vary further: mirror
            truth = truth[:, ::-1].copy()
        acc = truth.astype(np.float64)
        for cov, color, opacity in layers:
            acc = md.composite(acc, cov, color, opacity)
        wm = np.clip(np.rint(acc), 0, 255).astype(np.uint8)
        Image.fromarray(wm, 'RGB').save(d / f'img_{k}.png')
        Image.fromarray(truth, 'RGB').save(d / f'truth_{k}.png')
    print(kind, params, 'mask %.2f%%' % (100 * mask.mean()))
