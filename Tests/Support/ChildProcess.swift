import Foundation

/// A child process with its standard output and error collected separately; can be killed midway.
/// Shared by the test targets that run the built `launchq` binary.
public final class ChildProcess: @unchecked Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
        /// Killed by a signal (SIGKILL from ``kill()`` or the time limit).
        public var signalled: Bool
        public var both: String { "stdout:\n\(output)\nstderr:\n\(errors)" }
    }

    private let process = Process()
    private let outputReader: Task<Data, Never>
    private let errorReader: Task<Data, Never>

    /// Starts `executable`; `input` is written to its standard input, which is then closed.
    public init(_ executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil, input: Data? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            let writer = inputPipe.fileHandleForWriting
            try writer.write(contentsOf: input)
            try writer.close()
        }
        // Blocking reads run on Dispatch threads: blocking Swift concurrency's few pool threads (2 on a 2-core
        // machine) would starve an in-process sandbox the child is talking to.
        outputReader = Task { await Self.offPool { output.fileHandleForReading.readDataToEndOfFile() } }
        errorReader = Task { await Self.offPool { errors.fileHandleForReading.readDataToEndOfFile() } }
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// SIGTERM: a graceful stop.
    public func terminate() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGTERM) }
    }

    public var isRunning: Bool { process.isRunning }

    /// SIGKILL: no chance to finish anything.
    public func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the end (SIGKILL after `timeout`) and returns what it printed.
    public func finish(timeout: Duration) async -> Result {
        let watchdog = Task.detached { [process] in
            try await Task.sleep(for: timeout)
            if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        }
        let output = await outputReader.value
        let errors = await errorReader.value
        await Self.offPool { [process] in process.waitUntilExit() }
        watchdog.cancel()
        return Result(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Runs blocking `work` on a Dispatch thread, outside the Swift concurrency pool.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Runs to the end.
    public static func run(
        _ executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil, input: Data? = nil,
        timeout: Duration = .seconds(300)
    ) async throws -> Result {
        try await ChildProcess(executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory, input: input)
            .finish(timeout: timeout)
    }
}
