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
@discardableResult
func runCommand(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
            + String(decoding: error, as: UTF8.self))
    }
    return String(decoding: output, as: UTF8.self)
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// The `git` executable, or `nil` when it is not installed.
let gitExecutable: String? = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }
