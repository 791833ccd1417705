#!/usr/bin/env python3
"""contractgen vs apple/swift-openapi-generator 1.14.3 (types + server, or types + client with --client), side by
side in one run.

    python3 benchmarks/generators.py [--repeats 3] [--compile] [--client] [--docs contracts,petstore,openai]
    python3 benchmarks/generators.py --before CHECKOUT [--repeats 3] [--compile] [--docs openai-fixed]

Documents: contracts, petstore, openai, twilio-api, and openai-fixed (OpenAI's description with the one
value swift-openapi-generator cannot read made exact, so both tools can be timed on it).

For each document both generators run `--repeats` times (median wall time, max peak RSS from
/usr/bin/time). Multi-file contracts are given to swift-openapi-generator as the single JSON document
`contractgen bundle` writes (it does not follow external $refs); contractgen reads the originals.
With --compile the output of each generator is compiled (debug) in a scratch package: the target is built once,
then its files are touched and the rebuild is timed, checked to have compiled that target and nothing else, so the
time is that of the generated code alone (what a build of the already built dependencies costs — loading the
package graph, planning — is subtracted and shown as "+N").

With --before, contractgen is compared with an earlier build of itself instead: CHECKOUT is a checkout of an earlier
commit (`git worktree add /tmp/before REV`); its contractgen is built in release there, generates the same documents,
and with --compile its output is compiled against that checkout's runtime, the current output against this one's, so
the ratios (after ÷ before) of output lines and debug compile time come from one run.

Both tools are built in release mode under .build-bench/. Results go to stdout as Markdown; the
numbers in docs/benchmarks.md were produced with this script and its command line is recorded there.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "openapi"
WORK = ROOT / ".build-bench"
CONTRACTGEN = ROOT / ".build" / "release" / "contractgen"
DOCS = {
    "contracts": ROOT / "contracts",
    "petstore": CORPUS / "oai-v3.0-petstore-expanded.yaml",
    "openai": CORPUS / "openai.yaml",
    "twilio-api": CORPUS / "twilio_api_v2010.yaml",
}
# Documents derived from the corpus, written under .build-bench/ when asked for.
DERIVED = {}


def openai_fixed() -> pathlib.Path:
    """OpenAI's description with the values swift-openapi-generator stops on written in the form it
    reads, meaning unchanged; both generators read this same file:
    - the two rounded Int64 bounds of `seed` (±9223372036854776000, outside Int64, read as floating
      point) as the exact limits;
    - the seven OpenAPI 3.0 style `minimum: N` + `exclusiveMinimum: true` pairs (the document says 3.1)
      as 3.1's `exclusiveMinimum: N`."""
    text = (CORPUS / "openai.yaml").read_text(encoding="utf-8")
    patched = text.replace("minimum: -9223372036854776000", "minimum: -9223372036854775808")
    patched = patched.replace("maximum: 9223372036854776000", "maximum: 9223372036854775807")
    lines = patched.split("\n")
    rewritten = 0
    for index, line in enumerate(lines):
        flag = re.fullmatch(r"( *)exclusiveMinimum: true", line)
        if not flag:
            continue
        indent = flag.group(1)
        for back in range(index - 1, max(index - 6, -1), -1):
            bound = lines[back] is not None and re.fullmatch(indent + r"minimum: (\S+)", lines[back])
            if bound:
                lines[index] = f"{indent}exclusiveMinimum: {bound.group(1)}"
                lines[back] = None
                rewritten += 1
                break
    patched = "\n".join(l for l in lines if l is not None)
    if rewritten != 7 or patched.count("9223372036854775807") < 1:
        sys.exit(f"openai.yaml changed ({rewritten} exclusiveMinimum pairs rewritten, 7 expected); update openai_fixed()")
    target = WORK / "openai-fixed.yaml"
    target.write_text(patched, encoding="utf-8")
    return target


DERIVED["openai-fixed"] = openai_fixed


def run(argv, **kwargs):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)


def build_tools():
    if not CONTRACTGEN.exists():
        print("building contractgen (release)…", file=sys.stderr)
        result = run(["swift", "build", "-c", "release", "--product", "contractgen", "--package-path", ROOT])
        if result.returncode != 0:
            sys.exit(result.stderr)
    sog_package = WORK / "sog-tool"
    (sog_package / "Sources" / "Anchor").mkdir(parents=True, exist_ok=True)
    (sog_package / "Sources" / "Anchor" / "main.swift").write_text("// Anchors the dependency graph.\n")
    (sog_package / "Package.swift").write_text("""// swift-tools-version:6.2
import PackageDescription
let package = Package(
    name: "sog-tool",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")],
    targets: [.executableTarget(name: "Anchor", dependencies: [.product(name: "swift-openapi-generator", package: "swift-openapi-generator")])]
)
""")
    binary = sog_package / ".build" / "release" / "swift-openapi-generator"
    if not binary.exists():
        print("building swift-openapi-generator 1.14.3 (release)…", file=sys.stderr)
        result = run(["swift", "build", "-c", "release", "--product", "swift-openapi-generator", "--package-path", sog_package])
        if result.returncode != 0:
            sys.exit(result.stdout[-3000:] + result.stderr[-3000:])
    return binary


def timed(argv):
    result = run(["/usr/bin/time", "-f", "MAXRSS_KB=%M CPU_S=%U+%S"] + [str(a) for a in argv])
    match = re.search(r"MAXRSS_KB=(\d+)", result.stderr)
    return result, int(match.group(1)) if match else 0


def cpu_seconds(result) -> float:
    """User + system CPU time of a command run through `timed`, children included."""
    match = re.search(r"CPU_S=([0-9.]+)\+([0-9.]+)", result.stderr)
    return float(match.group(1)) + float(match.group(2)) if match else 0.0


def measure(argv, repeats):
    times, rss, last = [], 0, None
    for _ in range(repeats):
        start = time.monotonic()
        last, kb = timed(argv)
        times.append(time.monotonic() - start)
        rss = max(rss, kb)
    return statistics.median(times), rss, last


def swift_files(directory: pathlib.Path):
    files = list(directory.glob("*.swift"))
    return len(files), sum(f.read_text(encoding="utf-8").count("\n") for f in files)


def compile_time(kind: str, name: str, sources: pathlib.Path, client: bool = False, root: pathlib.Path = ROOT) -> str:
    package = WORK / (f"compile-{kind}-client" if client else f"compile-{kind}")
    target = package / "Sources" / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(sources, target)
    anchor = package / "Sources" / "Anchor"
    anchor.mkdir(parents=True, exist_ok=True)
    if kind.startswith("contractgen") and client:
        deps = f'.package(name: "main", path: "{root}")'
        products = '.product(name: "ContractRuntime", package: "main"), .product(name: "ContractClient", package: "main")'
        (anchor / "Anchor.swift").write_text("import ContractClient\nimport ContractRuntime\n")
    elif kind.startswith("contractgen"):
        deps = f'.package(name: "main", path: "{root}"), .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")'
        products = '.product(name: "ContractRuntime", package: "main"), .product(name: "ContractServer", package: "main"), .product(name: "Hummingbird", package: "hummingbird")'
        (anchor / "Anchor.swift").write_text("import ContractRuntime\nimport ContractServer\nimport Hummingbird\n")
    else:
        deps = '.package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0")'
        products = '.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")'
        (anchor / "Anchor.swift").write_text("import OpenAPIRuntime\n")
    targets = [f'.target(name: "Anchor", dependencies: [{products}])']
    for existing in sorted(p.name for p in (package / "Sources").iterdir() if p.is_dir() and p.name != "Anchor"):
        targets.append(f'.target(name: "{existing}", dependencies: [{products}])')
    (package / "Package.swift").write_text(f"""// swift-tools-version:6.2
import PackageDescription
let package = Package(
    name: "compile-{kind}",
    platforms: [.macOS(.v15)],
    dependencies: [{deps}],
    targets: [{", ".join(targets)}]
)
""")
    # A first, untimed build of the target: when the package's targets or files change, SwiftPM rebuilds some
    # dependencies (Hummingbird) inside the next build of a target that uses them — not inside the anchor's — and
    # that work, run beside the generated code's on the same cores, was once counted as the generated code's.
    prime = run(["swift", "build", "--package-path", package, "--target", name])
    if prime.returncode != 0:
        return refused(kind, name, prime.stdout + prime.stderr, "fails ({errors} errors)")
    run(["swift", "build", "--package-path", package, "--target", "Anchor"])
    # What every `swift build` costs before compiling anything (loading the package graph, planning): a build of
    # the already built anchor. It is subtracted, so the figure is the generated target's own compile time.
    start = time.monotonic()
    run(["swift", "build", "--package-path", package, "--target", "Anchor"])
    overhead = time.monotonic() - start
    for source in target.glob("*.swift"):
        source.touch()
    start = time.monotonic()
    result, kb = timed(["swift", "build", "--package-path", package, "--target", name])
    seconds = time.monotonic() - start
    log = result.stdout + result.stderr
    others = [line for line in log.splitlines() if re.search(r"\] (Compiling|Emitting module) ", line) and f" {name}" not in line]
    if result.returncode != 0 or others:
        reason = "fails ({errors} errors)" if result.returncode != 0 else f"not only {name} compiled ({len(others)} other steps)"
        return refused(kind, name, log, reason)
    return f"{seconds - overhead:.1f} s (+{overhead:.1f}; CPU {cpu_seconds(result):.0f} s)"


def refused(kind: str, name: str, log: str, reason: str) -> str:
    """Keeps the build's log beside the scratch packages and says why there is no figure ({errors}: the error count)."""
    (WORK / f"compile-{kind}-{name}.log").write_text(log)
    return reason.format(errors=len(re.findall(": error: ", log)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--docs", default="contracts,petstore,openai")
    parser.add_argument("--client", action="store_true", help="generate clients (contractgen --emit client; types + client)")
    parser.add_argument("--before", type=pathlib.Path, help="a checkout of an earlier commit: compare contractgen with its build")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    if args.before:
        return compare_builds(args)
    sog = build_tools()
    rows = []
    for key in args.docs.split(","):
        doc = DOCS[key] if key in DOCS else DERIVED[key]()
        bundled = WORK / f"{key}.bundled.json"
        if doc.is_dir() or key == "contracts":
            made = run([CONTRACTGEN, "bundle", "--contracts", doc, "--output", bundled])
            if made.returncode != 0:
                sys.exit(made.stderr)
            sog_input = bundled
        else:
            sog_input = doc
        ours_out, sog_out = WORK / "out" / key / "contractgen", WORK / "out" / key / "sog"
        for d in (ours_out, sog_out):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        config = WORK / "sog-config.yaml"
        config.write_text(f"generate:\n  - types\n  - {'client' if args.client else 'server'}\naccessModifier: public\n")
        # Third-party documents are generated leniently (lint's own rules warn); our contracts strictly.
        lenient = [] if key == "contracts" else ["--lenient"]
        emit = ["--emit", "client"] if args.client else []
        ours_t, ours_rss, ours_res = measure([CONTRACTGEN, "generate", "--contracts", doc, "--output", ours_out, *lenient, *emit], args.repeats)
        sog_t, sog_rss, sog_res = measure([sog, "generate", "--config", config, "--output-directory", sog_out, sog_input], args.repeats)
        ours_files, ours_lines = swift_files(ours_out)
        sog_files, sog_lines = swift_files(sog_out)
        row = {
            "doc": key, "ours_t": ours_t, "sog_t": sog_t, "ours_rss": ours_rss // 1024, "sog_rss": sog_rss // 1024,
            "ours_ok": ours_res.returncode == 0, "sog_ok": sog_res.returncode == 0,
            "ours_files": f"{ours_files} files, {ours_lines} lines", "sog_files": f"{sog_files} files, {sog_lines} lines",
        }
        if args.compile:
            name = "Gen_" + re.sub(r"[^A-Za-z0-9]", "_", key)
            row["ours_compile"] = compile_time("contractgen", name, ours_out, args.client) if row["ours_ok"] else "—"
            row["sog_compile"] = compile_time("sog", name, sog_out, args.client) if row["sog_ok"] else "—"
        rows.append(row)
    print("| document | contractgen s | swift-openapi-generator s | speed-up | peak MB (ours / theirs) | output (ours / theirs) |" + (" compile (ours / theirs) |" if args.compile else ""))
    print("|---|---|---|---|---|---|" + ("---|" if args.compile else ""))
    for r in rows:
        ok = lambda flag: "" if flag else " (failed)"
        compile_cell = f" {r['ours_compile']} / {r['sog_compile']} |" if args.compile else ""
        print(f"| {r['doc']} | {r['ours_t']:.3f}{ok(r['ours_ok'])} | {r['sog_t']:.3f}{ok(r['sog_ok'])} | {r['sog_t'] / r['ours_t']:.1f}× | "
              f"{r['ours_rss']} / {r['sog_rss']} | {r['ours_files']} / {r['sog_files']} |{compile_cell}")
    return 0


def seconds_of(cell: str) -> float | None:
    match = re.match(r"([0-9.]+) s", cell)
    return float(match.group(1)) if match else None


def compare_builds(args) -> int:
    """contractgen of `args.before` against this checkout's, same documents, one run."""
    before_root = args.before.resolve()
    before_binary = before_root / ".build" / "release" / "contractgen"
    for root, binary in ((before_root, before_binary), (ROOT, CONTRACTGEN)):
        if not binary.exists():
            print(f"building contractgen (release) in {root}…", file=sys.stderr)
            result = run(["swift", "build", "-c", "release", "--product", "contractgen", "--package-path", root])
            if result.returncode != 0:
                sys.exit(result.stderr)
    rows = []
    for key in args.docs.split(","):
        doc = DOCS[key] if key in DOCS else DERIVED[key]()
        lenient = [] if key == "contracts" else ["--lenient"]
        emit = ["--emit", "client"] if args.client else []
        row = {"doc": key}
        for side, binary, root in (("before", before_binary, before_root), ("after", CONTRACTGEN, ROOT)):
            out = WORK / "out" / key / f"contractgen-{side}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            seconds, _, result = measure([binary, "generate", "--contracts", doc, "--output", out, *lenient, *emit], args.repeats)
            if result.returncode != 0:
                sys.exit(f"{side}: {result.stderr[-2000:]}")
            files, lines = swift_files(out)
            row[side] = {"t": seconds, "files": files, "lines": lines}
            if args.compile:
                name = "Gen_" + re.sub(r"[^A-Za-z0-9]", "_", key)
                row[side]["compile"] = compile_time(f"contractgen-{side}", name, out, args.client, root=root)
        rows.append(row)
    print("| document | generation s (before / after) | output lines (before / after) | after ÷ before |"
          + (" debug compile (before / after) | after ÷ before |" if args.compile else ""))
    print("|---|---|---|---|" + ("---|---|" if args.compile else ""))
    for r in rows:
        b, a = r["before"], r["after"]
        cells = f"| {r['doc']} | {b['t']:.3f} / {a['t']:.3f} | {b['lines']} / {a['lines']} | {a['lines'] / b['lines']:.2f} |"
        if args.compile:
            sb, sa = seconds_of(b["compile"]), seconds_of(a["compile"])
            cb, ca = (re.search(r"CPU ([0-9.]+) s", cell) for cell in (b["compile"], a["compile"]))
            ratio = f"{sa / sb:.2f}" if sa and sb else "—"
            if cb and ca:
                ratio += f" (CPU {float(ca.group(1)) / float(cb.group(1)):.2f})"
            cells += f" {b['compile']} / {a['compile']} | {ratio} |"
        print(cells)
    return 0


if __name__ == "__main__":
    sys.exit(main())
