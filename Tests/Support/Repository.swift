import Foundation

/// The repository the tests run in: its root, paths in it, the environment, and temporary folders.
public enum Repository {
    /// The repository root (this file is Tests/Support/Repository.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `relative` under the repository root.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The test process's environment.
    public static let environment = ProcessInfo.processInfo.environment

    /// Whether this run is CI (`CI=true`): then a missing prerequisite (PostgreSQL, the SDK venv, the built binary)
    /// fails the tests that need it instead of skipping them.
    public static var isCI: Bool { ["true", "1", "yes"].contains(environment["CI"]?.lowercased() ?? "") }

    /// A new temporary folder `prefix-UUID`, removed by the caller.
    public static func temporaryFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
