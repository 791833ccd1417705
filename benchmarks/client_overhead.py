#!/usr/bin/env python3
"""Request overhead of the generated Swift client against hand-written AsyncHTTPClient calls (issue 24).

Builds `client-overhead` of the outside package (Tests/Support/widgets_package.py) in release and runs it: an
in-process server generated from the fixture contract, then alternating rounds of GET /v1/widgets/{id} through
`APIClient.getWidget` (request id + bearer middlewares, the answer decoded and typed) and through AsyncHTTPClient
by hand (the same headers, Foundation's JSONDecoder into a hand-written struct). Prints each round, the ratio of the
medians and the median of the rounds' own ratios (generated / hand-written throughput; the second is steadier
when the machine's speed drifts).

    python3 benchmarks/client_overhead.py [--rounds 31] [--requests 3000] [--concurrency 8]
"""
from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
import widgets_package as package  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--requests", type=int, default=3000, help="requests per round and side")
    parser.add_argument("--concurrency", type=int, default=8)
    arguments = parser.parse_args()
    package.write()
    built = package.swift("build", "-c", "release", "--product", "client-overhead")
    if built.returncode != 0:
        print(built.stdout[-3000:] + built.stderr[-3000:], file=sys.stderr)
        return 1
    binary = package.SCRATCH / "release" / "client-overhead"
    return subprocess.run([str(binary), str(arguments.rounds), str(arguments.requests), str(arguments.concurrency)]).returncode


if __name__ == "__main__":
    sys.exit(main())
