#!/usr/bin/env python3
"""How faithful a cleaned video is outside its mask: PSNR (RGB, dB) between the result and the input over the pixels
farther than 8 px from the mask, every frame. Both are read with the same YUV matrix (`--matrix`, default bt709, the
convention for untagged HD), so the figure is the pipeline's loss there (RGB round trip + re-encode), not a guess.

    benchmarks/video_outside_mask.py INPUT RESULT MASK.png [--matrix bt601|bt709]
"""
import argparse
import json
import subprocess

import numpy
from PIL import Image
from scipy import ndimage


def frames(path, width, height, matrix):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-vf", f"scale=in_color_matrix={matrix}:in_range=tv,format=rgb24",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return numpy.frombuffer(raw, numpy.uint8).reshape(-1, height, width, 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("result")
    parser.add_argument("mask")
    parser.add_argument("--matrix", default="bt709")
    args = parser.parse_args()
    mask = numpy.array(Image.open(args.mask).convert("L")) > 127
    height, width = mask.shape
    outside = ~ndimage.binary_dilation(mask, iterations=8)
    a, b = frames(args.result, width, height, args.matrix), frames(args.input, width, height, args.matrix)
    count = min(len(a), len(b))
    error = ((a[:count].astype(numpy.float64) - b[:count].astype(numpy.float64)) ** 2)[:, outside].mean()
    print(json.dumps({"frames": count, "psnr_outside_db": round(float(10 * numpy.log10(255.0 ** 2 / max(error, 1e-12))), 2)}))


if __name__ == "__main__":
    main()
