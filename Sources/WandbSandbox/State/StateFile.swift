import Foundation

/// The `--state FILE` document: the whole ``SandboxState`` as JSON (written from a ``StateDocument``), replaced
/// atomically.
///
/// A write goes to `FILE.tmp-<pid>` in the same directory, is flushed to disk, and is then renamed over
/// `FILE`, so a crash at any moment leaves either the old or the new complete file, never a partial one.
struct StateFile: Sendable {
    let path: String

    /// Reads the state, or `nil` when the file does not exist yet.
    func load() throws(SandboxError) -> SandboxState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(SandboxState.self, from: data)
        } catch {
            throw SandboxError(.invalidState, "cannot read sandbox state file \(path): \(error)")
        }
    }

    /// Writes a whole document (``StateDocument/data()``) atomically (temp file, fsync, rename).
    func write(_ data: Data) throws(SandboxError) {
        let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw SandboxError(.storage, "cannot create \(temporary)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary, path) == 0 else {
                throw SandboxError(.storage, "cannot rename \(temporary) to \(path): errno \(errno)")
            }
        } catch let error as SandboxError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw SandboxError(.storage, "cannot write sandbox state file \(path): \(error)")
        }
    }
}
