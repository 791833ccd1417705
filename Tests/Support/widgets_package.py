"""A package outside this repository that depends on it by path, as another team's package would: the fixture
contract (Tests/Fixtures/FixtureAPI/contracts) served by a target the ContractGen plugin generates, the typed
client the plugin generates from the same contract (`"emit": "client"`), code written against that client
(`ClientConsumer`), a test of the client against the server, and the client-overhead benchmark. Its Swift sources
are Tests/Fixtures/WidgetsPackage; the package is assembled under .build-outside/package with its own copy of
the contract (the drift tests change it), and `DriftFixture` is where Tests/Drift compiles contractgen's output.

One package and one scratch directory for all of them, so Hummingbird, AsyncHTTPClient and the runtime are
compiled once (a few minutes the first time)."""
from __future__ import annotations

import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = ROOT / "Tests" / "Fixtures" / "WidgetsPackage"
CONTRACTS = ROOT / "Tests" / "Fixtures" / "FixtureAPI" / "contracts"
HANDLERS = ROOT / "Tests" / "GeneratedAPITests" / "FixtureHandlers.swift"
CONTRACTGEN = ROOT / ".build" / "debug" / "contractgen"
WORK = ROOT / ".build-outside"
PACKAGE = WORK / "package"
SCRATCH = WORK / "scratch"
DRIFT_TARGET = PACKAGE / "Sources" / "DriftFixture"

MANIFEST = f"""// swift-tools-version:6.2
import PackageDescription

let contractGen = Target.PluginUsage.plugin(name: "ContractGen", package: "main")

let package = Package(
    name: "widgets",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "main", path: "{ROOT}"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(name: "WidgetsServer", dependencies: [
            .product(name: "ContractRuntime", package: "main"),
            .product(name: "ContractServer", package: "main"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ], exclude: ["contractgen.json"], plugins: [contractGen]),
        .target(name: "WidgetsClient", dependencies: [
            .product(name: "ContractRuntime", package: "main"),
            .product(name: "ContractClient", package: "main"),
        ], exclude: ["contractgen.json"], plugins: [contractGen]),
        .target(name: "ClientConsumer", dependencies: ["WidgetsClient"]),
        .executableTarget(name: "client-overhead", dependencies: [
            "WidgetsServer", "WidgetsClient",
            .product(name: "ContractClient", package: "main"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "WidgetsClientTests", dependencies: [
            "WidgetsServer", "WidgetsClient",
            .product(name: "ContractClient", package: "main"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .target(name: "DriftFixture", dependencies: [
            .product(name: "ContractRuntime", package: "main"),
            .product(name: "ContractServer", package: "main"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ]
)
"""


def handlers() -> str:
    """The fixture's hand-written handlers, for a module that is itself the generated API."""
    return HANDLERS.read_text(encoding="utf-8").replace("import FixtureAPI\n", "")


def generate_into(target: pathlib.Path, contracts: pathlib.Path) -> subprocess.CompletedProcess:
    """contractgen's server output for `contracts`, with the handlers, as the only sources of `target`."""
    for old in target.glob("*.swift"):
        old.unlink()
    generated = subprocess.run([str(CONTRACTGEN), "generate", "--contracts", str(contracts), "--output", str(target), "--shards", "4"],
                               capture_output=True, text=True)
    if generated.returncode == 0:
        (target / "FixtureHandlers.swift").write_text(handlers(), encoding="utf-8")
    return generated


def write() -> None:
    """Assembles the package with the unchanged contract; the scratch directory (the compiled dependencies) stays."""
    if not CONTRACTGEN.exists():
        raise RuntimeError(f"{CONTRACTGEN} is missing: run `swift build` first (scripts/test does)")
    shutil.rmtree(PACKAGE, ignore_errors=True)
    shutil.copytree(SOURCES, PACKAGE)
    (PACKAGE / "Package.swift").write_text(MANIFEST, encoding="utf-8")
    (PACKAGE / "Sources" / "WidgetsServer" / "FixtureHandlers.swift").write_text(handlers(), encoding="utf-8")
    shutil.copytree(CONTRACTS, PACKAGE / "contracts")
    DRIFT_TARGET.mkdir(parents=True)
    result = generate_into(DRIFT_TARGET, CONTRACTS)
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)


def swift(*arguments: str, timeout: int = 3600) -> subprocess.CompletedProcess:
    """`swift build|test|run …` on the package, in its scratch directory."""
    verb, *rest = arguments
    return subprocess.run(["swift", verb, "--package-path", str(PACKAGE), "--scratch-path", str(SCRATCH), *rest],
                          capture_output=True, text=True, timeout=timeout)
