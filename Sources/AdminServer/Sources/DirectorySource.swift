import Declarations
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Declarations read from a directory, recursively, as `DeclarationLoader` reads them.
///
/// * Files ending in `.yaml`, `.yml` or `.json` (any case) are read; hidden files and folders (`.git`) are skipped.
/// * A symbolic link is followed only when its target stays inside the directory; one that escapes it
///   fails the whole snapshot with ``SourceError/Code/symlinkEscapes`` (a partial bundle would prune the rest).
/// * The directory path itself must not contain a `..` component (``SourceError/Code/unsafePath``):
///   give an absolute path, or let ``GitSource/parse(_:checkout:)`` resolve a relative one.
/// * Files are read up to one byte past ``Configuration/maxFileBytes``, so an oversized file reaches the
///   loader, which refuses it with its usual diagnostic, without being read whole into memory.
public struct DirectorySource: DeclarationSource {
    /// Reading settings.
    public struct Configuration: Sendable {
        /// File name endings read (compared lower-cased).
        public var extensions: Set<String> = ["yaml", "yml", "json"]
        /// The loader's per-file limit; files are read up to this plus one byte.
        public var maxFileBytes: Int = ParseLimits().maxFileBytes
        /// At most this many files; more fails the snapshot (a runaway directory, not declarations).
        public var maxFiles: Int = 10_000
        public init() {}
    }

    /// The directory, as given.
    public let path: String
    /// The `kind` recorded in snapshots (`"directory"`; ``GitSource`` reads its checkout as `"git"`).
    public let kind: String
    /// The `location` recorded in snapshots.
    public let location: String
    public var configuration: Configuration

    /// A source reading the directory at `path` (checked when a snapshot is taken).
    public init(path: String, configuration: Configuration = .init()) {
        self.init(path: path, kind: "directory", location: path, configuration: configuration)
    }

    init(path: String, kind: String, location: String, configuration: Configuration = .init()) {
        self.path = path
        self.kind = kind
        self.location = location
        self.configuration = configuration
    }

    public func snapshot() async throws -> SourceSnapshot {
        try read()
    }

    /// Reads the files synchronously (``snapshot()`` without the `async`).
    public func read() throws -> SourceSnapshot {
        try SourcePath.refuseDotDot(path, what: "source directory")
        guard let root = Self.realPath(path) else {
            throw SourceError(code: .notFound, message: "source directory \(path) does not exist")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SourceError(code: .notFound, message: "source \(path) is not a directory")
        }
        var walker = Walker(root: root, display: path, configuration: configuration)
        try walker.walk(directory: root, relative: "")
        let files = walker.found.sorted { $0.path < $1.path }
        return SourceSnapshot(files: files, kind: kind, location: location)
    }

    /// The canonical absolute path of `path` with every symbolic link resolved, or `nil` if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension DirectorySource {
    /// A depth-first walk that records files and refuses escaping links.
    private struct Walker {
        let root: String
        let display: String
        let configuration: Configuration
        var found: [(path: String, contents: [UInt8])] = []
        /// Real paths of directories already walked (links may lead back to a parent).
        var visited: Set<String> = []

        init(root: String, display: String, configuration: Configuration) {
            self.root = root
            self.display = display
            self.configuration = configuration
        }

        mutating func walk(directory: String, relative: String) throws {
            guard visited.insert(directory).inserted else { return }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                throw SourceError(code: .unreadable, message: "cannot list \(shown(relative)) in source \(display)")
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let full = directory + "/" + name
                let rel = relative.isEmpty ? name : relative + "/" + name
                try SourcePath.validateRelative(rel)
                let type = (try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType) ?? nil
                var target = full
                if type == .typeSymbolicLink {
                    guard let real = DirectorySource.realPath(full) else { continue }  // dangling link: nothing to read
                    guard real == root || real.hasPrefix(root + "/") else {
                        throw SourceError(
                            code: .symlinkEscapes,
                            message: "\(display)/\(rel) is a symbolic link to a path outside the source directory; refused")
                    }
                    target = real
                }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    try walk(directory: DirectorySource.realPath(target) ?? target, relative: rel)
                } else if configuration.extensions.contains((name as NSString).pathExtension.lowercased()) {
                    guard found.count < configuration.maxFiles else {
                        throw SourceError(
                            code: .unreadable, message: "source \(display) has more than \(configuration.maxFiles) declaration files; refused")
                    }
                    found.append((rel, try readCapped(target, relative: rel)))
                }
            }
        }

        /// Reads at most `maxFileBytes + 1` bytes, so the loader can report an oversized file.
        private func readCapped(_ path: String, relative: String) throws -> [UInt8] {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw SourceError(code: .unreadable, message: "cannot read \(display)/\(relative)")
            }
            defer { try? handle.close() }
            do {
                return [UInt8](try handle.read(upToCount: configuration.maxFileBytes + 1) ?? Data())
            } catch {
                throw SourceError(code: .unreadable, message: "cannot read \(display)/\(relative): \(error.localizedDescription)")
            }
        }

        private func shown(_ relative: String) -> String { relative.isEmpty ? "the top folder" : relative }
    }
}
