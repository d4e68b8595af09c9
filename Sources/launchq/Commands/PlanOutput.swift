import Foundation
import Planning

/// Writes a plan's JSON document a step at a time (``Plan/writeSaved(_:)``), to `--out` or standard output, through
/// a small buffer: a plan of 10,000 steps is never held as one string.
enum PlanOutput {
    /// Saves `plan` at `path`, atomically: written beside it under a temporary name, then renamed over it.
    /// - Throws: ``PlanOutputError`` naming `path` and why.
    static func save(_ plan: Plan, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw PlanOutputError(path: path, reason: String(cString: strerror(errno)))
        }
        do {
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            try write(plan, to: handle)
            try handle.synchronize()
            guard rename(partial.path, url.path) == 0 else { throw PlanOutputError(path: path, reason: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error as? PlanOutputError ?? PlanOutputError(path: path, reason: "\(error)")
        }
    }

    /// Prints `plan`'s JSON document on standard output, followed by a newline (as `print` would).
    static func print(_ plan: Plan) throws {
        fflush(nil)  // whatever `print` buffered goes first
        try write(plan, to: .standardOutput, trailer: "\n")
    }

    private static func write(_ plan: Plan, to handle: FileHandle, trailer: String = "") throws {
        var buffer = Data()
        buffer.reserveCapacity(1 << 16)
        try plan.writeSaved { piece in
            buffer.append(contentsOf: piece.utf8)
            if buffer.count >= 1 << 16 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(contentsOf: trailer.utf8)
        try handle.write(contentsOf: buffer)
    }
}

/// `--out` could not be written.
struct PlanOutputError: Error, CustomStringConvertible {
    /// Stable code.
    let code = "plan_not_saved"
    let path: String
    let reason: String

    var description: String { "cannot save the plan at \(path): \(reason)" }
}
