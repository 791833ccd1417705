#!/usr/bin/env python3
"""Peak memory of `watermark remove --mode fast` on the harness's 1080p cases, read both ways the
issue's goal ("peak memory under 4x the decoded image size for FAST") can be read:

- the whole process's peak RSS (`/usr/bin/time -f %M`), against 4x the decoded RGB image;
- what FAST adds above the process baseline, the peak RSS of `watermark remove --help`.

With `--slim`, the same work (decode, FAST in place, PNG out: the same output bytes) is also measured in a
throwaway executable that links only InpaintCore, built in release under .build-bench/slim-remove — what a
separate small `remove` binary would use.

    python3 benchmarks/fast_memory.py /tmp/inpaint-cases [--runs 3] [--slim]

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


SLIM_MAIN = """import InpaintCore
// Built by benchmarks/fast_memory.py --slim: what `watermark remove IN --mask M -o OUT --mode fast` does, in a
// binary that links only InpaintCore.
let arguments = CommandLine.arguments
if arguments.count >= 4 {
    do {
        var image = try ImageCodec.read(path: arguments[1], options: DecodeOptions(maxPixels: 100_000_000))
        let mask = try Mask.read(path: arguments[2], threshold: 128)
        try FastInpainter.inpaint(&image, mask: mask, options: FastInpaintOptions(), context: OperationContext())
        try ImageCodec.write(image, path: arguments[3], options: EncodeOptions(pngCompressionLevel: 1))
    } catch {
        print("error: \\(error)")
    }
}
"""


def build_slim() -> str:
    package = ROOT / ".build-bench" / "slim-remove"
    (package / "Sources" / "slim").mkdir(parents=True, exist_ok=True)
    (package / "Package.swift").write_text(f"""// swift-tools-version:6.2
import PackageDescription
let package = Package(
    name: "slim-remove",
    dependencies: [.package(name: "main", path: "{ROOT}")],
    targets: [.executableTarget(name: "slim", dependencies: [.product(name: "InpaintCore", package: "main")])]
)
""")
    (package / "Sources" / "slim" / "main.swift").write_text(SLIM_MAIN)
    result = subprocess.run(["swift", "build", "-c", "release", "--package-path", str(package)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stdout[-2000:] + result.stderr[-2000:])
    return str(package / ".build" / "release" / "slim")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=3, help="peak of each case is the largest of this many runs")
    parser.add_argument("--slim", action="store_true", help="also measure a binary that links only InpaintCore")
    args = parser.parse_args()
    slim = build_slim() if args.slim else None
    inputs = sorted(args.cases.glob("1920x1080_*.input.png"))
    if not inputs:
        sys.exit(f"no 1920x1080 cases in {args.cases} (make them with the harness's make_dataset.py)")
    baseline = max(peak_kb([BIN, "remove", "--help"]) for _ in range(args.runs))
    print("| case | decoded RGB MB | peak RSS MB | peak / decoded | above baseline MB | above baseline / decoded |" + (" slim binary peak MB | slim / decoded |" if slim else ""))
    print("|---|---|---|---|---|---|" + ("---|---|" if slim else ""))
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
            extra = ""
            if slim:
                slim_peak = max(peak_kb([slim, str(path), str(mask), f"{scratch}/slim.png"]) for _ in range(args.runs)) * 1024 / 1e6
                if pathlib.Path(f"{scratch}/slim.png").read_bytes() != pathlib.Path(f"{scratch}/out.png").read_bytes():
                    sys.exit(f"{name}: the slim binary's output differs from watermark's")
                extra = f" {slim_peak:.1f} | {slim_peak / decoded:.2f}x |"
            print(f"| {name} | {decoded:.1f} | {peak:.1f} | {peak / decoded:.2f}x | {above:.1f} | {above / decoded:.2f}x |{extra}")
    print(f"| `watermark remove --help` (baseline) | — | {baseline * 1024 / 1e6:.1f} | — | — | — |")
    print(f"\nworst: whole process {worst[0]:.2f}x the decoded image, FAST above the baseline {worst[1]:.2f}x (goal < 4x)")


if __name__ == "__main__":
    main()
