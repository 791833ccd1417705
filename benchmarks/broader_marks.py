#!/usr/bin/env python3
"""A broader set of watermark-removal cases than the shared harness's generator makes, in the same
format (NAME.input.png / NAME.mask.png / NAME.truth.png + cases.json), so `run_bench.py --cases DIR`
and `auto_iou.py single DIR` score it unchanged.

What differs from ../shared/bench/inpaint/make_dataset.py:
- photos: the other photographs in the scikit-image wheel (none of its five): hubble_deep_field, ihc,
  retina, motorcycle_right, and the grey textures brick, grass, gravel, coins, camera (as RGB);
- sizes: `native` (a crop at the photo's own resolution, no resampling: real texture) besides
  upscaled 1280x720 and 1920x1080;
- marks (KINDS below): coloured text in several fonts and scripts, outlined logos, opaque thin
  shapes, QR-like block marks, stock-photo style centred marks, and marks placed across the
  image's strongest edges; each at a random position, scale, rotation and opacity (semi-transparent
  and opaque), colours drawn from the whole hue circle.

Seeds: tune on one seed, report on another you never looked at while tuning, and say which is
which (docs/benchmarks.md). The set is a pure function of the seed, the photos and the fonts.

usage: broader_marks.py --out /tmp/broader-tune --seed 101 [--sizes native,1280x720,1920x1080] [--variants 1]
"""
from __future__ import annotations

import argparse
import colorsys
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

import PIL

ROOT = Path(__file__).resolve().parent.parent
for harness in (ROOT.parent / "shared" / "bench" / "inpaint", Path("/work/shared/bench/inpaint")):
    if (harness / "make_dataset.py").exists():
        sys.path.insert(0, str(harness))
        break
import make_dataset as shared  # noqa: E402  (the harness's blending, dilation and hashing)

SOURCES = ["hubble_deep_field.jpg", "ihc.png", "retina.jpg", "motorcycle_right.png",
           "brick.png", "grass.png", "gravel.png", "coins.png", "camera.png"]
KINDS = ["color_text", "outline_logo", "thin_opaque", "qr_block", "stock_center", "edge_crossing", "script_text"]
FONT_DIRS = ["/usr/share/fonts/truetype", "/usr/share/fonts/opentype"]
WORDS = ["© Aurora Pictures", "PREVIEW ONLY", "stockhouse.example", "Marek Nowak Photo", "DO NOT COPY",
         "@travel.frames", "Proof 0427", "© 2025 Helios"]
SCRIPTS = ["Фотобанк © 2025", "ΔΕΙΓΜΑ · δείγμα", "Ōsaka Studio ©", "Zürich · Łódź · Ærø", "Привет, мир"]
CJK = ["样片 仅供预览", "版权所有 © 摄影", "サンプル画像"]


def fonts_available() -> list[str]:
    """Every TrueType/OpenType font installed (DejaVu always; Noto when fonts-noto-* is installed)."""
    found = []
    for root in FONT_DIRS:
        for directory, _, files in os.walk(root):
            found += [os.path.join(directory, f) for f in files if f.lower().endswith((".ttf", ".otf", ".ttc"))]
    return sorted(found)


def font(paths: list[str], rng, size: float, needs_cjk=False) -> tuple[ImageFont.FreeTypeFont, str]:
    choices = [p for p in paths if ("CJK" in p or "cjk" in p)] if needs_cjk else [p for p in paths if "CJK" not in p]
    path = choices[int(rng.integers(len(choices)))]
    return ImageFont.truetype(path, max(8, int(size)), layout_engine=ImageFont.Layout.BASIC), os.path.basename(path)


def hue_color(rng, saturation=(0.6, 1.0), value=(0.6, 1.0)) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(float(rng.random()), float(rng.uniform(*saturation)), float(rng.uniform(*value)))
    return int(r * 255), int(g * 255), int(b * 255)


def source_image(name: str, size, rng) -> Image.Image:
    image = shared.load_source(name)
    if size == "native":
        w, h = image.size
        cw, ch = min(w, 1280), min(h, 960)
        x0, y0 = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        return image.crop((x0, y0, x0 + cw, y0 + ch))
    return shared.fit_crop(image, size[0], size[1], rng)


def stamp(w, h, layer: Image.Image, x: int, y: int) -> Image.Image:
    """`layer` (an L image) placed with its top-left at (x, y) on a blank w x h coverage."""
    out = shared.blank(w, h)
    out.paste(layer, (x, y))
    return out


def text_layer(text, typeface, angle, stroke=0, fill=True) -> Image.Image:
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    tw, th, ox, oy = shared.text_size(probe, text, typeface, stroke)
    pad = stroke + 4
    layer = Image.new("L", (tw + 2 * pad, th + 2 * pad), 0)
    ImageDraw.Draw(layer).text((pad - ox, pad - oy), text, font=typeface, fill=255 if fill else 0,
                               stroke_width=stroke, stroke_fill=255)
    if stroke and not fill:  # the outline only: the stroked glyphs minus the glyphs
        inner = Image.new("L", layer.size, 0)
        ImageDraw.Draw(inner).text((pad - ox, pad - oy), text, font=typeface, fill=255)
        layer = Image.fromarray(np.clip(np.asarray(layer, np.int16) - np.asarray(inner, np.int16), 0, 255).astype(np.uint8))
    return layer.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True) if angle else layer


def place(w, h, layer, rng, margin=0.03):
    lw, lh = layer.size
    if lw >= w or lh >= h:
        scale = 0.9 * min(w / lw, h / lh)
        layer = layer.resize((max(1, int(lw * scale)), max(1, int(lh * scale))), Image.Resampling.LANCZOS)
        lw, lh = layer.size
    mx, my = int(margin * w), int(margin * h)
    x = int(rng.integers(min(mx, w - lw), max(min(mx, w - lw), w - lw - mx) + 1))
    y = int(rng.integers(min(my, h - lh), max(min(my, h - lh), h - lh - my) + 1))
    return stamp(w, h, layer, x, y), (x, y)


# ------------------------------------------------------------------ mark kinds: (layers, params)

def color_text(w, h, rng, fonts, truth):
    text = WORDS[int(rng.integers(len(WORDS)))]
    typeface, name = font(fonts, rng, h * rng.uniform(0.04, 0.1))
    angle = float(rng.uniform(-30, 30)) if rng.random() < 0.5 else 0.0
    cov, at = place(w, h, text_layer(text, typeface, angle), rng)
    color, opacity = hue_color(rng), float(rng.uniform(0.45, 0.9))
    return [(cov, color, opacity)], {"text": text, "font": name, "angle": round(angle, 1), "color": color, "opacity": round(opacity, 3), "at": at}


def outline_logo(w, h, rng, fonts, truth):
    r = int(min(w, h) * rng.uniform(0.06, 0.12))
    stroke = max(2, int(r * rng.uniform(0.05, 0.12)))
    size = 2 * r + 2 * stroke + 4
    shape = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(shape)
    c, kind = size // 2, ["circle", "star", "square"][int(rng.integers(3))]
    if kind == "circle":
        d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=stroke)
    elif kind == "square":
        d.rounded_rectangle((c - r, c - r, c + r, c + r), radius=r // 4, outline=255, width=stroke)
    else:
        points = [(c + (r if k % 2 == 0 else r * 0.45) * np.sin(k * np.pi / 5), c - (r if k % 2 == 0 else r * 0.45) * np.cos(k * np.pi / 5)) for k in range(10)]
        d.line(points + [points[0]], fill=255, width=stroke, joint="curve")
    typeface, name = font(fonts, rng, r * 0.9)
    word = text_layer(WORDS[int(rng.integers(len(WORDS)))].split()[-1], typeface, 0, stroke=max(1, stroke // 2), fill=False)
    logo = Image.new("L", (size + word.size[0] + r // 3, max(size, word.size[1])), 0)
    logo.paste(shape, (0, (logo.size[1] - size) // 2))
    logo.paste(word, (size + r // 3, (logo.size[1] - word.size[1]) // 2))
    angle = float(rng.uniform(-15, 15))
    cov, at = place(w, h, logo.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True), rng)
    color = [(255, 255, 255), (20, 20, 20), hue_color(rng)][int(rng.integers(3))]
    opacity = float(rng.uniform(0.6, 1.0))
    return [(cov, color, opacity)], {"shape": kind, "font": name, "stroke": stroke, "color": color, "opacity": round(opacity, 3), "at": at}


def thin_opaque(w, h, rng, fonts, truth):
    cov = shared.blank(w, h)
    d = ImageDraw.Draw(cov)
    width = int(rng.integers(1, 4))
    shapes = []
    for _ in range(int(rng.integers(2, 5))):
        kind = ["line", "cross", "frame"][int(rng.integers(3))]
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        if kind == "line":
            d.line((x0, y0, int(rng.integers(0, w)), int(rng.integers(0, h))), fill=255, width=width)
        elif kind == "cross":
            s = int(min(w, h) * rng.uniform(0.03, 0.08))
            d.line((x0 - s, y0, x0 + s, y0), fill=255, width=width)
            d.line((x0, y0 - s, x0, y0 + s), fill=255, width=width)
        else:
            inset = int(min(w, h) * rng.uniform(0.02, 0.06))
            d.rectangle((inset, inset, w - 1 - inset, h - 1 - inset), outline=255, width=width)
        shapes.append(kind)
    color = hue_color(rng, saturation=(0.0, 1.0))
    return [(cov, color, 1.0)], {"shapes": shapes, "width": width, "color": color, "opacity": 1.0}


def qr_block(w, h, rng, fonts, truth):
    modules = int(rng.integers(17, 30))
    cell = max(2, int(min(w, h) * rng.uniform(0.15, 0.3) / modules))
    grid = rng.random((modules, modules)) < 0.5
    for fy, fx in ((0, 0), (0, modules - 7), (modules - 7, 0)):  # finder squares
        grid[fy:fy + 7, fx:fx + 7] = False
        grid[fy:fy + 7, fx] = grid[fy:fy + 7, fx + 6] = grid[fy, fx:fx + 7] = grid[fy + 6, fx:fx + 7] = True
        grid[fy + 2:fy + 5, fx + 2:fx + 5] = True
    block = Image.fromarray((np.kron(grid, np.ones((cell, cell))) * 255).astype(np.uint8))
    cov, at = place(w, h, block, rng)
    dark, light = (int(rng.integers(0, 40)),) * 3, (int(rng.integers(215, 256)),) * 3
    opacity = float(rng.uniform(0.7, 1.0))
    # The light modules are painted too (a QR sticker is a full square): two layers on one square.
    square = stamp(w, h, Image.new("L", block.size, 255), *at)
    return [(square, light, opacity), (cov, dark, opacity)], {"modules": modules, "cell": cell, "opacity": round(opacity, 3), "at": at}


def stock_center(w, h, rng, fonts, truth):
    text = ["SHUTTERSTOCK-LIKE", "stockhouse", "© PREVIEW", "iStock-ish"][int(rng.integers(4))]
    typeface, name = font(fonts, rng, h * rng.uniform(0.12, 0.2))
    angle = float(rng.uniform(-35, 35))
    layer = text_layer(text, typeface, angle)
    lw, lh = layer.size
    if lw > 0.95 * w or lh > 0.95 * h:
        scale = 0.95 * min(w / lw, h / lh)
        layer = layer.resize((max(1, int(lw * scale)), max(1, int(lh * scale))), Image.Resampling.LANCZOS)
    x, y = (w - layer.size[0]) // 2, (h - layer.size[1]) // 2
    cov = stamp(w, h, layer, x, y)
    edge = cov.filter(ImageFilter.MaxFilter(3))
    outline = Image.fromarray(np.clip(np.asarray(edge, np.int16) - np.asarray(cov, np.int16), 0, 255).astype(np.uint8))
    opacity = float(rng.uniform(0.25, 0.45))
    return [(outline, (40, 40, 40), opacity * 0.8), (cov, (255, 255, 255), opacity)], {"text": text, "font": name, "angle": round(angle, 1), "opacity": round(opacity, 3)}


def edge_crossing(w, h, rng, fonts, truth):
    """A mark centred on the strongest edges of the photo (where filling from around is hardest)."""
    grey = truth.astype(np.float64).mean(axis=2)
    gy, gx = np.gradient(grey)
    energy = np.hypot(gx, gy)
    block = max(8, min(w, h) // 12)
    hb, wb = h // block, w // block
    tiles = energy[:hb * block, :wb * block].reshape(hb, block, wb, block).mean(axis=(1, 3))
    ty, tx = np.unravel_index(int(np.argmax(tiles)), tiles.shape)
    text = WORDS[int(rng.integers(len(WORDS)))]
    typeface, name = font(fonts, rng, h * rng.uniform(0.05, 0.09))
    layer = text_layer(text, typeface, float(rng.uniform(-20, 20)))
    lw, lh = layer.size
    x = int(np.clip(tx * block + block // 2 - lw // 2, 0, max(0, w - lw)))
    y = int(np.clip(ty * block + block // 2 - lh // 2, 0, max(0, h - lh)))
    cov = stamp(w, h, layer.crop((0, 0, min(lw, w), min(lh, h))), x, y)
    color, opacity = hue_color(rng, saturation=(0.0, 1.0)), float(rng.uniform(0.4, 1.0))
    return [(cov, color, opacity)], {"text": text, "font": name, "color": color, "opacity": round(opacity, 3), "at": (x, y)}


def script_text(w, h, rng, fonts, truth):
    cjk = any("CJK" in p for p in fonts) and rng.random() < 0.4
    text = (CJK if cjk else SCRIPTS)[int(rng.integers(len(CJK if cjk else SCRIPTS)))]
    typeface, name = font(fonts, rng, h * rng.uniform(0.04, 0.08), needs_cjk=cjk)
    cov, at = place(w, h, text_layer(text, typeface, float(rng.uniform(-10, 10))), rng)
    color = [(255, 255, 255), hue_color(rng)][int(rng.integers(2))]
    opacity = float(rng.uniform(0.4, 0.85))
    return [(cov, color, opacity)], {"text": text, "font": name, "color": color, "opacity": round(opacity, 3), "at": at}


MARKS = {"color_text": color_text, "outline_logo": outline_logo, "thin_opaque": thin_opaque, "qr_block": qr_block,
         "stock_center": stock_center, "edge_crossing": edge_crossing, "script_text": script_text}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, required=True, help="tuning and held-out sets use different seeds")
    parser.add_argument("--sizes", default="native,1280x720,1920x1080")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--variants", type=int, default=1)
    parser.add_argument("--dilate", type=int, default=2)
    args = parser.parse_args(argv)
    sizes = [s if s == "native" else tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    fonts = [p for p in fonts_available() if "DejaVu" in p or "Noto" in p]
    if not fonts:
        parser.error("no DejaVu or Noto fonts installed (apt-get install fonts-dejavu-core fonts-noto-core)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started, cases = time.perf_counter(), []
    for si, size in enumerate(sizes):
        for ki, kind in enumerate(kinds):
            for variant in range(args.variants):
                rng = np.random.default_rng([args.seed, si, ki, variant])
                source = SOURCES[int(rng.integers(len(SOURCES)))]
                truth = np.asarray(source_image(source, size, rng), dtype=np.uint8)
                h, w = truth.shape[:2]
                layers, params = MARKS[kind](w, h, rng, fonts, truth)
                blended = truth.astype(np.float64)
                footprint = np.zeros((h, w), dtype=bool)
                for coverage, color, opacity in layers:
                    blended = shared.composite(blended, coverage, color, opacity)
                    footprint |= np.asarray(coverage) > 0
                marked = np.clip(np.rint(blended), 0, 255).astype(np.uint8)
                changed = np.any(marked != truth, axis=2)
                assert not np.any(changed & ~footprint), "a mark changed pixels outside its footprint"
                mask = shared.dilate(footprint, args.dilate)
                label = "native" if size == "native" else f"{size[0]}x{size[1]}"
                name = f"{label}_{kind}_{Path(source).stem}_v{variant}"
                files = {"input": f"{name}.input.png", "mask": f"{name}.mask.png", "truth": f"{name}.truth.png"}
                Image.fromarray(marked, "RGB").save(out / files["input"])
                Image.fromarray(mask.astype(np.uint8) * 255, "L").save(out / files["mask"])
                Image.fromarray(truth, "RGB").save(out / files["truth"])
                cases.append({
                    "name": name, "width": w, "height": h, "kind": kind, "source": source, "variant": variant,
                    "files": files, "sha256": {k: shared.sha256_file(out / f) for k, f in files.items()},
                    "mask_coverage_pct": round(100.0 * mask.mean(), 3), "footprint_coverage_pct": round(100.0 * footprint.mean(), 3),
                    "changed_pixels_pct": round(100.0 * changed.mean(), 3), "mask_pixels": int(mask.sum()),
                    "watermark": json.loads(json.dumps(params, default=lambda v: list(v))),
                })
                print(f"{name:48s} {w}x{h} mask {cases[-1]['mask_coverage_pct']:6.2f}%", flush=True)
    manifest = {
        "generator": "benchmarks/broader_marks.py", "seed": args.seed, "dilate_px": args.dilate,
        "sizes": [s if s == "native" else f"{s[0]}x{s[1]}" for s in sizes], "kinds": kinds, "variants": args.variants,
        "mask_convention": "8-bit L PNG, 255 = pixel to fill (watermark footprint dilated), 0 = keep",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "pillow": PIL.__version__,
                     "scikit-image": __import__("skimage").__version__},
        "fonts": [os.path.basename(p) for p in fonts], "cases": cases,
    }
    (out / "cases.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(cases)} cases to {out} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
