// swift-tools-version:6.2
// The watermark service and contractgen, the contract-driven code generator it is built with.
import PackageDescription

let package = Package(
    name: "watermark",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "contractgen", targets: ["contractgen"]),
        .plugin(name: "ContractGen", targets: ["ContractGen"]),
        .plugin(name: "ContractLint", targets: ["ContractLint"]),
        .library(name: "ContractRuntime", targets: ["ContractRuntime"]),
        .library(name: "ContractServer", targets: ["ContractServer"]),
        .library(name: "ContractTesting", targets: ["ContractTesting"]),
        .library(name: "ContractClient", targets: ["ContractClient"]),
        // What `"emit": "database"` output calls (migrations, repositories, scoped transactions), and a
        // throwaway PostgreSQL 15 cluster for a package's tests and local runs.
        .library(name: "PostgresSupport", targets: ["PostgresSupport"]),
        .library(name: "EmbeddedPostgres", targets: ["EmbeddedPostgres"]),
        .library(name: "WatermarkAPI", targets: ["WatermarkAPI"]),
        .library(name: "WatermarkClient", targets: ["WatermarkClient"]),
        .library(name: "WatermarkDatabase", targets: ["WatermarkDatabase"]),
        .library(name: "InpaintCore", targets: ["InpaintCore"]),
        .library(name: "VideoCore", targets: ["VideoCore"]),
        // For receivers of the service's webhooks: signature, time window and replay checks.
        .library(name: "WebhookVerification", targets: ["WebhookVerification"]),
        .executable(name: "watermark", targets: ["watermark"]),
        .executable(name: "watermark-remove", targets: ["watermark-remove"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // multipart/form-data bodies: parsed by generated servers, written by generated clients.
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // OTLP over HTTP only: the gRPC exporter (and its packages) stays out.
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // MARK: contractgen — the generator pipeline (never depends on the server)
        .target(
            name: "ContractGenCore",
            dependencies: [
                "ContractGenTemplates",
                "SQLSyntax",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // PostgreSQL's lexical structure: tokens and statements, shared by the DDL/query analysis and
        // the migrations runner.
        .target(name: "SQLSyntax"),
        // The Mustache templates under templates/, bundled with the tool as resources.
        .target(
            name: "ContractGenTemplates",
            path: "templates",
            exclude: ["README.md"],
            resources: [.copy("swift"), .copy("typescript")]
        ),
        .executableTarget(
            name: "contractgen",
            dependencies: [
                "ContractGenCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .plugin(
            name: "ContractGen",
            capability: .buildTool(),
            dependencies: ["contractgen"]
        ),
        // `swift package contract-lint`: contractgen lint on a package's contracts.
        .plugin(
            name: "ContractLint",
            capability: .command(
                intent: .custom(verb: "contract-lint", description: "Lint the package's contracts (OpenAPI, error catalog, migrations, queries)")),
            dependencies: ["contractgen"]
        ),
        // MARK: runtime support that generated code calls
        // Transport-neutral: JSON, validation, the error envelope (no server, no Hummingbird).
        .target(name: "ContractRuntime"),
        // Serving contract operations on Hummingbird: decoding, the pipeline, routes, principals.
        .target(
            name: "ContractServer",
            dependencies: [
                "ContractRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // For contract tests only: the generated negative cases' vocabulary (`ContractViolation`).
        .target(name: "ContractTesting", dependencies: ["ContractRuntime"]),
        // What generated clients call: requests, the transport (AsyncHTTPClient), middlewares for
        // request ids, bearer tokens with refresh rotation and retries of idempotent requests.
        .target(
            name: "ContractClient",
            dependencies: [
                "ContractRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // MARK: the watermark service
        // The API generated from contracts/ by the plugin on every build.
        .target(
            name: "WatermarkAPI",
            dependencies: ["ContractRuntime", "ContractServer", .product(name: "Hummingbird", package: "hummingbird")],
            exclude: ["contractgen.json"],
            plugins: ["ContractGen"]
        ),
        // A typed client of the same contracts (types, error codes, one method per operation), generated by the plugin.
        .target(
            name: "WatermarkClient",
            dependencies: ["ContractRuntime", "ContractClient"],
            exclude: ["contractgen.json"],
            plugins: ["ContractGen"]
        ),
        // The negative contract cases generated from the same contracts, for the tests only (the
        // `watermark` binary does not link them).
        .target(
            name: "WatermarkContractCases",
            dependencies: ["ContractRuntime", "ContractTesting"],
            exclude: ["contractgen.json"],
            plugins: ["ContractGen"]
        ),

        // The repositories and named queries generated from contracts/db by the plugin on every build.
        .target(
            name: "WatermarkDatabase",
            dependencies: [
                "PostgresSupport", "ContractRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            exclude: ["contractgen.json"],
            plugins: ["ContractGen"]
        ),

        // The hand-written service on the generated API and database layer.
        .target(
            name: "WatermarkService",
            dependencies: [
                "WatermarkAPI", "WatermarkDatabase", "ContractRuntime", "ContractServer", "PostgresSupport", "EmbeddedPostgres", "InpaintCore", "VideoCore",
                "WebhookVerification", "WatermarkWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            exclude: ["contractgen.json"],
            // The DTOs of tables bound with `x-table`, made from their rows (`"emit": "mappings"`).
            plugins: ["ContractGen"]
        ),

        // The web app served at `/`: hand-written pages and ES modules on the generated TypeScript
        // client (app/client, refreshed by scripts/update-generated), bundled as resources.
        .target(
            name: "WatermarkWeb",
            dependencies: [
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("app")]
        ),

        // The migrations runner, repositories' support and scoped transactions.
        .target(
            name: "PostgresSupport",
            dependencies: [
                "SQLSyntax",
                "ContractRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // A throwaway PostgreSQL 15 cluster started from the installed binaries (`watermark serve`'s
        // default database, and the tests').
        .target(
            name: "EmbeddedPostgres",
            dependencies: [
                "PostgresSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: the inpainting core (no dependency on the rest; system image codecs via pkg-config)
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        // zlib, for the web app's gzip-compressed files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // setjmp/longjmp-safe wrappers around libpng and libjpeg (their errors become return codes), and
        // WebP through libwebp's runtime library loaded with dlopen (no libwebp-dev needed to build).
        .target(
            name: "CImageCodecs",
            dependencies: ["CPNG", "CJPEG"],
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        // Optimised in debug builds too: `swift run watermark serve` is a debug build, and unoptimised image loops
        // are 20x slower (auto-detection at 1080p: 17.5 s instead of 0.8 s; QUALITY: 16 s instead of 0.7 s).
        .target(name: "InpaintCore", dependencies: ["CImageCodecs"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Video: frames decoded and encoded by FFmpeg's programs through pipes (nothing of FFmpeg needed to build),
        // the mark estimated from many frames and removed from each by InpaintCore. Optimised in debug builds too.
        .target(name: "VideoCore", dependencies: ["InpaintCore"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),

        // What a receiver of the service's webhooks needs to check them (swift-crypto only).
        .target(name: "WebhookVerification", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),

        // MARK: the executables
        // `watermark`: the service, workers and migrations; `watermark remove` is handed to
        // `watermark-remove` (depending on it makes SwiftPM build it too).
        .executableTarget(
            name: "watermark",
            dependencies: [
                "PostgresSupport",
                "EmbeddedPostgres",
                "WatermarkDatabase",
                "WatermarkService",
                "WatermarkClient",
                "ContractClient",
                "ContractRuntime",
                "watermark-remove",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        // `watermark-remove`: offline removal in a small process that links only InpaintCore and VideoCore.
        .executableTarget(
            name: "watermark-remove",
            dependencies: [
                "InpaintCore",
                "VideoCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: benchmarks (run by hand; results in docs/benchmarks.md)
        // Generated repositories vs hand-written PostgresNIO.
        .executableTarget(
            name: "repository-benchmark",
            dependencies: [
                "WatermarkDatabase", "PostgresSupport", "EmbeddedPostgres", "ContractRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "benchmarks/RepositoryBenchmark"
        ),

        .executableTarget(
            name: "service-benchmark",
            dependencies: [
                "WatermarkService", "WatermarkAPI", "ContractRuntime", "ContractServer", "PostgresSupport", "EmbeddedPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "benchmarks/ServiceBenchmark"
        ),

        // Request validation throughput of the generated API types alone (no server, no database).
        .executableTarget(
            name: "validation-benchmark",
            dependencies: ["WatermarkAPI", "ContractRuntime"],
            path: "benchmarks/ValidationBenchmark"
        ),

        // Task workers: queue throughput (inpainting a no-op) and 1080p upload → SUCCEEDED latency.
        .executableTarget(
            name: "worker-benchmark",
            dependencies: [
                "WatermarkService", "WatermarkAPI", "WatermarkDatabase", "ContractRuntime", "PostgresSupport", "EmbeddedPostgres", "InpaintCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "benchmarks/WorkerBenchmark"
        ),

        // MARK: tests
        .testTarget(
            name: "ContractGenTests",
            dependencies: ["ContractGenCore"],
            // Golden output of the fixture contract, compared as text, not compiled.
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "ContractRuntimeTests",
            dependencies: [
                "ContractRuntime", "ContractServer", "ContractTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "InpaintCoreTests", dependencies: ["InpaintCore"]),
        .testTarget(name: "VideoCoreTests", dependencies: ["VideoCore", "InpaintCore"]),
        // `watermark remove` run as a user runs it (the executables `swift build` put beside the tests).
        .testTarget(name: "CommandLineTests", dependencies: ["InpaintCore"]),
        .testTarget(
            name: "PostgresSupportTests",
            dependencies: [
                "PostgresSupport", "EmbeddedPostgres", "ContractRuntime", "ContractGenCore", "WatermarkDatabase",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax"]),
        .testTarget(name: "WebhookVerificationTests", dependencies: ["WebhookVerification"]),
        .testTarget(name: "ContractClientTests", dependencies: ["ContractClient", "ContractRuntime"]),
        .testTarget(
            name: "WatermarkServiceTests",
            dependencies: [
                "WatermarkService", "WatermarkAPI", "WatermarkContractCases", "WatermarkDatabase", "ContractRuntime", "ContractServer",
                "ContractTesting", "PostgresSupport", "EmbeddedPostgres", "InpaintCore", "VideoCore", "WebhookVerification", "WatermarkClient", "ContractClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A fixture contract compiled through the plugin, and tests with hand-written handlers.
        .target(
            name: "FixtureAPI",
            dependencies: ["ContractRuntime", "ContractServer", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/Fixtures/FixtureAPI",
            exclude: ["contracts", "contractgen.json"],
            plugins: ["ContractGen"]
        ),
        .target(
            name: "FixtureContractCases",
            dependencies: ["ContractRuntime", "ContractTesting"],
            path: "Tests/Fixtures/FixtureContractCases",
            exclude: ["contractgen.json"],
            plugins: ["ContractGen"]
        ),
        .testTarget(
            name: "GeneratedAPITests",
            dependencies: [
                "FixtureAPI",
                "FixtureContractCases",
                "ContractRuntime",
                "ContractServer",
                "ContractTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
