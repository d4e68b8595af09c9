import Foundation
import Testing

/// The built `launchq` executable the end-to-end tests run: the one place that finds it.
///
/// `LAUNCHQ_BINARY` when set; else the `launchq` that `swift build --build-tests` put next to the test bundle
/// (the same build configuration as the tests); else `.build/debug/launchq` in the repository.
public enum LaunchqBinary {
    /// Where the binary is (or would be).
    public static var path: String {
        if let explicit = Repository.environment["LAUNCHQ_BINARY"], !explicit.isEmpty { return explicit }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[candidates.count - 1]
    }

    /// Whether the binary is built.
    public static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// The path, or a test failure saying how to build it.
    public static func require(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        try #require(exists, "no launchq binary at \(path): run swift build --build-tests", sourceLocation: sourceLocation)
        return path
    }

    private static var candidates: [String] {
        // The test bundle is `.build/<triple>/<configuration>/launchqPackageTests.xctest`.
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().path
        return [bundleDirectory + "/launchq", Repository.path(".build/debug/launchq")]
    }
}
