import Dispatch
import Foundation

/// Runs the `git` executable with an argument list (never through a shell) and collects its output.
struct GitCommand: Sendable {
    /// What a finished `git` run produced.
    struct Output: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `git` executable's path.
    let executable: String
    /// Kill a run that takes longer than this.
    var timeout: Duration = .seconds(300)

    /// Finds `git` on `PATH` (or `LAUNCHQ_GIT`).
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GitCommand {
        if let explicit = environment["LAUNCHQ_GIT"], FileManager.default.isExecutableFile(atPath: explicit) {
            return GitCommand(executable: explicit)
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/git"
            if FileManager.default.isExecutableFile(atPath: candidate) { return GitCommand(executable: candidate) }
        }
        throw SourceError(
            code: .gitUnavailable, message: "the git command is not installed or not on PATH (install git, or set LAUNCHQ_GIT)")
    }

    /// An `Authorization` header for every HTTP request git makes, given through the environment
    /// (`GIT_CONFIG_COUNT`, git 2.31+): never on a command line (`ps`) and never written to `.git/config`.
    var authorizationHeader: String?

    /// The environment git runs with: never prompts for credentials, stable English messages.
    func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        // Configuration from launchq's own environment would shift the numbering: start from none.
        for key in environment.keys where key.hasPrefix("GIT_CONFIG_KEY_") || key.hasPrefix("GIT_CONFIG_VALUE_") {
            environment[key] = nil
        }
        environment["GIT_CONFIG_COUNT"] = nil
        if let authorizationHeader {
            environment["GIT_CONFIG_COUNT"] = "1"
            environment["GIT_CONFIG_KEY_0"] = "http.extraHeader"
            environment["GIT_CONFIG_VALUE_0"] = "Authorization: \(authorizationHeader)"
        }
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = "true"
        environment["SSH_ASKPASS"] = "true"
        environment["LC_ALL"] = "C"
        environment["GIT_SSH_COMMAND"] = environment["GIT_SSH_COMMAND"] ?? "ssh -o BatchMode=yes"
        return environment
    }

    /// Runs `git arguments...` and returns its status and output (it does not throw on a non-zero status).
    func run(_ arguments: [String], in directory: String? = nil) async throws -> Output {
        let executable = self.executable
        let timeout = self.timeout
        let environment = self.environment()
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment
                if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
                let out = Pipe()
                let err = Pipe()
                process.standardOutput = out
                process.standardError = err
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: SourceError(
                        code: .gitUnavailable, message: "cannot run \(executable): \(error.localizedDescription)"))
                    return
                }
                let (seconds, attoseconds) = timeout.components
                let deadline = DispatchTime.now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
                DispatchQueue.global().asyncAfter(deadline: deadline) {
                    if process.isRunning { process.terminate() }
                }
                // Read standard error concurrently so neither pipe can fill up and block git.
                let group = DispatchGroup()
                nonisolated(unsafe) var errorData = Data()
                group.enter()
                DispatchQueue.global().async {
                    errorData = err.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let outputData = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: Output(
                    status: process.terminationStatus,
                    standardOutput: String(decoding: outputData, as: UTF8.self),
                    standardError: String(decoding: errorData, as: UTF8.self)))
            }
        }
    }
}
