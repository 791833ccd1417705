#!/usr/bin/env bash
# Wall time of `contractgen generate` on this package's contracts, N runs in a row (default 41):
# prints the median, minimum and maximum in milliseconds. Build first:
#   swift build -c release --product contractgen && benchmarks/generate-loop.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-41}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$root/.build/release/contractgen" generate --contracts "$root/contracts" --output "$out" > /dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
done | sort -n | awk '{ms[NR] = $1} END {printf "runs %d  median %d ms  min %d  max %d\n", NR, ms[int((NR + 1) / 2)], ms[1], ms[NR]}'
