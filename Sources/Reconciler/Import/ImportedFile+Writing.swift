import Foundation

extension ImportedFile {
    /// Writes `files` under `folder`, creating folders as needed, and returns the paths written.
    ///
    /// Nothing is written when any file exists already, unless `force` is set: the error names every such file.
    public static func write(_ files: [ImportedFile], to folder: String, force: Bool) throws(ImportError) -> [String] {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: folder, isDirectory: true)
        let targets = files.map { (file: $0, url: root.appendingPathComponent($0.path)) }
        if !force {
            let existing = targets.filter { manager.fileExists(atPath: $0.url.path) }.map { display(folder, $0.file.path) }
            if !existing.isEmpty {
                throw ImportError(.fileExists, "refusing to overwrite \(existing.joined(separator: ", ")) (use --force)")
            }
        }
        var written: [String] = []
        for target in targets {
            let path = display(folder, target.file.path)
            do {
                try manager.createDirectory(at: target.url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(target.file.text.utf8).write(to: target.url, options: .atomic)
            } catch {
                throw ImportError(.write, "cannot write \(path): \(error.localizedDescription)")
            }
            written.append(path)
        }
        return written
    }

    /// `folder/path` as the user would type it.
    static func display(_ folder: String, _ path: String) -> String {
        folder.hasSuffix("/") ? folder + path : folder + "/" + path
    }
}
