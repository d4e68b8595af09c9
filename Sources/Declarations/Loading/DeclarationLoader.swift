import Foundation
import JSON

/// Reads declaration files (`*.yaml`, `*.yml`, `*.json`) from paths, recursively, into documents.
///
/// Hidden files and folders (`.git`, `.github`) are skipped. Every limit in ``ParseLimits`` is enforced
/// while reading; a file past a limit yields one diagnostic and no documents.
public struct DeclarationLoader: Sendable {
    /// Loader settings.
    public struct Configuration: Sendable {
        public var limits = ParseLimits()
        /// File name endings read from folders (a file named explicitly is read whatever its ending).
        public var extensions: Set<String> = ["yaml", "yml", "json"]
        public init() {}
    }

    public var configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Loads every declaration file under `paths` (files or folders), in a stable order.
    public func load(paths: [String]) -> LoadResult {
        var result = LoadResult()
        for path in paths {
            for file in files(at: path, diagnostics: &result.diagnostics) {
                result.fileCount += 1
                load(file: file, into: &result)
            }
        }
        return result
    }

    /// Loads one in-memory file on its own, as if read from `file`: a result of one file.
    public func load(contents: [UInt8], file: String) -> LoadResult {
        var result = LoadResult()
        result.fileCount = 1
        load(contents: contents, file: file, into: &result)
        return result
    }

    /// Loads one in-memory file, as if read from `file` (used for bundles pushed over HTTP).
    public func load(contents: [UInt8], file: String, into result: inout LoadResult) {
        guard contents.count <= configuration.limits.maxFileBytes else {
            result.diagnostics.append(Diagnostic(
                .error, .limitFileSize,
                "file is \(contents.count) bytes, over the \(configuration.limits.maxFileBytes)-byte limit; refused",
                at: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        if let bad = UTF8Check.firstInvalidByte(in: contents) {
            let (line, column) = UTF8Check.lineAndColumn(of: bad, in: contents)
            result.diagnostics.append(Diagnostic(
                .error, .fileEncoding, "file is not valid UTF-8 (byte 0x\(String(contents[bad], radix: 16, uppercase: true)) at offset \(bad))",
                at: SourceLocation(file: file, line: line, column: column)))
            return
        }
        let isJSON = file.lowercased().hasSuffix(".json")
        do {
            let (roots, diagnostics) = try contents.withUnsafeBufferPointer { buffer throws(LoadError) in
                if isJSON {
                    var composer = JSONComposer(file: file, limits: configuration.limits)
                    return (try composer.compose(buffer), composer.diagnostics)
                }
                var composer = YAMLComposer(file: file, limits: configuration.limits)
                return (try composer.compose(buffer), composer.diagnostics)
            }
            result.diagnostics += diagnostics
            for (index, root) in roots.enumerated() {
                result.documents.append(LoadedDocument(file: file, index: index, root: root))
            }
        } catch {
            result.diagnostics.append(Diagnostic(.error, error.code, error.message, at: error.location))
        }
    }

    /// Loads one file from disk (its size checked before it is read).
    func load(file: String, into result: inout LoadResult) {
        switch contents(ofFile: file) {
        case .success(let contents): load(contents: contents, file: file, into: &result)
        case .failure(let refusal): result.diagnostics.append(refusal.diagnostic)
        }
    }

    /// Why a file's bytes were not read.
    struct Refusal: Error {
        var diagnostic: Diagnostic
    }

    /// The bytes of `file`, unless it is over the size limit or cannot be read.
    func contents(ofFile file: String) -> Result<[UInt8], Refusal> {
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        if size > configuration.limits.maxFileBytes {
            return .failure(Refusal(diagnostic: Diagnostic(
                .error, .limitFileSize, "file is \(size) bytes, over the \(configuration.limits.maxFileBytes)-byte limit; refused",
                at: SourceLocation(file: file, line: 1, column: 1))))
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(Refusal(diagnostic: Diagnostic(.error, .fileRead, "cannot read file", at: SourceLocation(file: file, line: 1, column: 1))))
        }
        return .success([UInt8](data))
    }

    /// The declaration files at `path`: the path itself when it is a file, else the matching files below it.
    func files(at path: String, diagnostics: inout [Diagnostic]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            diagnostics.append(Diagnostic(.error, .fileRead, "no such file or folder: \(path)", at: nil))
            return []
        }
        guard isDirectory.boolValue else { return [path] }
        let root = URL(fileURLWithPath: path)
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else {
            diagnostics.append(Diagnostic(.error, .fileRead, "cannot list folder \(path)", at: nil))
            return []
        }
        var found: [String] = []
        let prefix = root.standardizedFileURL.path
        let realRoot = root.resolvingSymlinksInPath().path
        for case let url as URL in enumerator {
            guard configuration.extensions.contains(url.pathExtension.lowercased()),
                let kind = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            else { continue }
            if kind.isSymbolicLink == true {
                // A link may point anywhere: only files that really live under the folder are read.
                let target = url.resolvingSymlinksInPath()
                guard target.path.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
                    diagnostics.append(Diagnostic(
                        .error, .fileRead, "\(url.path) links outside \(path); refused", at: SourceLocation(file: url.path, line: 1, column: 1)))
                    continue
                }
                guard (try? target.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            } else if kind.isRegularFile != true {
                continue
            }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(prefix + "/") ? String(full.dropFirst(prefix.count + 1)) : full
            found.append(path == "." ? relative : (path.hasSuffix("/") ? path + relative : path + "/" + relative))
        }
        return found.sorted()
    }
}
