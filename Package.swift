// swift-tools-version:6.2
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "launchq",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "launchq", targets: ["launchq"]),
        .library(name: "Declarations", targets: ["Declarations"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL.git", from: "4.3.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        // Already resolved through swift-nio; the sandbox's state tables are its persistent TreeDictionary.
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the OTLPGRPC trait (on by default) would build grpc-swift into every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // The one JSON value type, its parser (positioned errors) and the canonical writer. A leaf: no dependencies.
        .target(
            name: "JSON",
            exclude: ["README.md"],
            swiftSettings: upcoming
        ),
        // Pure core: loading, validation, normalisation, rendering, JSON Schema. No I/O beyond reading files.
        .target(
            name: "Declarations",
            dependencies: [
                "JSON",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["RunnerSchema/Data/README.md"],
            swiftSettings: upcoming
        ),
        // What W&B holds and what launchq writes to it (queues, users, members, projects, write results). No networking.
        .target(
            name: "WandbModel",
            dependencies: ["JSON"],
            swiftSettings: upcoming
        ),
        // Planning: declarations + observed W&B state -> plan. Pure; imports no client, networking or database.
        .target(
            name: "Planning",
            dependencies: ["Declarations", "JSON", "WandbModel"],
            swiftSettings: upcoming
        ),
        // The W&B GraphQL client.
        .target(
            name: "WandbAPI",
            dependencies: [
                "JSON", "WandbModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: upcoming
        ),
        // The local W&B server used by tests, benchmarks, demos and CI.
        .target(
            name: "WandbSandbox",
            dependencies: [
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: upcoming
        ),
        // The one reconcile pipeline (observe, plan through Planning, apply through the W&B client, record through a
        // recorder), and import. Records nothing itself: ReconcilerStore does, so this target does not depend on Store.
        .target(
            name: "Reconciler",
            dependencies: [
                "Declarations", "JSON", "Planning", "WandbAPI", "WandbModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: upcoming
        ),
        // Recording reconciliations (steps, events, observed queues) in the store.
        .target(
            name: "ReconcilerStore",
            dependencies: ["Declarations", "JSON", "Planning", "Reconciler", "Store"],
            swiftSettings: upcoming
        ),
        // The long-running service: admin HTTP API, status page, sources, scheduled reconciliation.
        .target(
            name: "AdminServer",
            dependencies: [
                "Declarations", "JSON", "Planning", "WandbAPI", "WandbModel", "Store", "Reconciler", "ReconcilerStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: upcoming
        ),
        // Desired state, events, tokens and the leader lease in PostgreSQL.
        .target(
            name: "Store",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: upcoming
        ),
        // A throwaway PostgreSQL cluster in a temporary directory, for `launchq dev` and the tests. Depends on nothing.
        .target(
            name: "PostgresCluster",
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "launchq",
            dependencies: [
                "PostgresCluster",
                "Declarations", "Planning", "WandbAPI", "WandbSandbox", "Store", "Reconciler", "ReconcilerStore",
                "AdminServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "launchq-bench",
            dependencies: [
                "Declarations", "JSON", "Planning", "Store", "WandbAPI", "WandbModel", "WandbSandbox", "Reconciler",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The one test harness: a fresh database (its own cluster when DATABASE_URL is unset), the in-process sandbox,
        // the built launchq binary, child processes.
        .target(
            name: "TestSupport",
            dependencies: [
                "Store", "PostgresCluster", "WandbAPI", "WandbSandbox",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support",
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "JSONTests",
            dependencies: ["JSON"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PlanningTests",
            dependencies: ["Planning", "Declarations", "JSON", "WandbModel"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DeclarationsTests",
            dependencies: [
                "Declarations", "JSON",
                .product(name: "Yams", package: "Yams"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Golden"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ReconcilerTests",
            dependencies: [
                "TestSupport",
                "Reconciler", "ReconcilerStore", "Planning", "Declarations", "JSON", "WandbAPI", "WandbModel", "WandbSandbox", "Store",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            exclude: ["SDK"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "AdminServerTests",
            dependencies: [
                "TestSupport", "PostgresCluster",
                "AdminServer", "Declarations", "JSON", "WandbAPI", "WandbModel", "WandbSandbox", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "TestSupport",
                "Store", "Declarations",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "WandbTests",
            dependencies: [
                "TestSupport",
                "JSON", "WandbAPI", "WandbModel", "WandbSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Conformance"],
            swiftSettings: upcoming
        ),
    ]
)
