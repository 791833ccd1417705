#!/usr/bin/env bash
# Video removal on the shared video harness (../shared/bench/video), with its anchors in the same run, and peak memory
# against clip length. Results go to docs/benchmarks.md ("Video").
#
#   benchmarks/video.sh CLIPS_DIR [OUT_PREFIX] [extra run_bench.py arguments, e.g. --repeats 3]
#
# CLIPS_DIR comes from ../shared/bench/video/make_videos.py --out CLIPS_DIR [--seed N] (or benchmarks/video_hard_cases.py).
# Needs ffmpeg, Python with numpy, OpenCV, scikit-image and Pillow (the harness's README).
set -euo pipefail
cd "$(dirname "$0")/.."
clips=${1:?usage: benchmarks/video.sh CLIPS_DIR [OUT_PREFIX] [run_bench.py arguments]}
out=${2:-/tmp/video-bench}
shift $(( $# >= 2 ? 2 : 1 ))
harness=../shared/bench/video
swift build -c release --product watermark-remove >/dev/null
bin=$PWD/.build/release/watermark-remove

# 1. Quality and speed against the anchors (lossless output, so that the score is the method's).
python3 "$harness/run_bench.py" --clips "$clips" --name swift-video \
  --cmd "$bin {input} --mask-track {mask_json} --lossless -o {output}" \
  --work "$out-work" --out-md "$out.md" --out-json "$out.json" --delete-outputs "$@"

# 2. Peak memory against length: the first 1280x720 clip, and the same clip looped 8 times (stream copy).
first=$clips/$(python3 -c 'import json, sys; print(min(c["dir"] for c in json.load(open(sys.argv[1]))["clips"] if c["width"] == 1280))' "$clips/clips.json")
ffmpeg -nostdin -v error -y -stream_loop 7 -i "$first/input.mp4" -c copy "$out-long.mp4"
for input in "$first/input.mp4" "$out-long.mp4"; do
  frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$input")
  echo "$(basename "$input"): $frames frames: $("$bin" "$input" --mask "$first/mask.png" -o "$out-mem.mp4" | grep PEAK_RSS)"
done
