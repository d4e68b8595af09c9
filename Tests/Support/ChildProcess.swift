import Foundation
import Synchronization

/// A child process with its standard output and error collected separately; can be killed midway, and its output
/// read while it runs (``waitForOutputLine(startingWith:timeout:)``). Shared by the test targets that run the
/// built `launchq` binary.
///
/// Nothing here blocks a Swift concurrency thread: pipes are read and the exit awaited on threads of their own.
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
    private let outputReader: Task<Void, Never>
    private let errorReader: Task<Void, Never>
    private let printed = Printed()

    /// What the process printed so far: standard output, standard error.
    private final class Printed: Sendable {
        let text = Mutex<(output: Data, errors: Data)>((Data(), Data()))
    }

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
        // Blocking reads run on threads of their own: blocking Swift concurrency's few pool threads (2 on a 2-core
        // machine) would starve an in-process sandbox the child is talking to.
        let printed = self.printed
        outputReader = Task {
            await Self.offPool { Self.drain(output.fileHandleForReading) { chunk in printed.text.withLock { $0.output.append(chunk) } } }
        }
        errorReader = Task {
            await Self.offPool { Self.drain(errors.fileHandleForReading) { chunk in printed.text.withLock { $0.errors.append(chunk) } } }
        }
    }

    /// Reads `handle` to its end, handing over each chunk as it arrives.
    private static func drain(_ handle: FileHandle, _ append: (Data) -> Void) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return }
            append(chunk)
        }
    }

    /// Standard output so far.
    public var outputSoFar: String { String(decoding: printed.text.withLock { $0.output }, as: UTF8.self) }
    /// Standard error so far.
    public var errorsSoFar: String { String(decoding: printed.text.withLock { $0.errors }, as: UTF8.self) }

    /// Waits until standard output has a whole line starting with `prefix` and returns it (without the newline).
    /// Throws ``ChildProcessError`` when the process ends first or `timeout` passes (polled every 20 ms).
    public func waitForOutputLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = outputSoFar
            if let line = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            if !process.isRunning || ContinuousClock.now >= deadline {
                // One last look: the line may have arrived together with the end.
                if !process.isRunning, let line = outputSoFar.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
                let errors = String(decoding: printed.text.withLock { $0.errors }, as: UTF8.self)
                throw ChildProcessError(
                    description: "no line starting with '\(prefix)' \(process.isRunning ? "within \(timeout)" : "before the process ended")"
                        + "\nstdout:\n\(text.suffix(3000))\nstderr:\n\(errors.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
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
        await outputReader.value
        await errorReader.value
        await Self.offPool { [process] in process.waitUntilExit() }
        watchdog.cancel()
        let (output, errors) = printed.text.withLock { $0 }
        return Result(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Runs blocking `work` on a thread of its own, outside the Swift concurrency pool.
    ///
    /// Not on Dispatch's global queue: on Linux it runs only a few work items at once (about two per core), and
    /// each child process keeps two of them busy reading its pipes for as long as it lives. Under the parallel suite
    /// the queue filled up, a child's pipe stopped being read, and a `serve` logging at trace level blocked on its
    /// full standard error (seen in `noSecretAppearsAnywhere`: its reconcile never finished).
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
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

/// A child process did not print what a test waited for.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
}
