import TestSupport
import Foundation

/// A temporary directory removed when the test ends.
final class SourceTempDirectory: Sendable {
    let path: String

    init(_ label: String = "src") throws {
        let base = FileManager.default.temporaryDirectory.standardizedFileURL.path
        path = base + "/launchq-\(label)-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `relative` (folders created as needed).
    func write(_ relative: String, _ text: String) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }
}

/// Runs a real command (no shell) and returns its standard output; a non-zero exit throws with its standard error.
/// Waits off the Swift concurrency threads (TestSupport's ``ChildProcess``), so parallel tests keep running.
@discardableResult
func runCommand(
    _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
) async throws -> String {
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let result = try await ChildProcess.run(executable, arguments: arguments, environment: env, workingDirectory: directory, timeout: .seconds(120))
    guard result.status == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(result.status): " + result.errors)
    }
    return result.output
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// The `git` executable, or `nil` when it is not installed.
let gitExecutable: String? = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }
