/// Checks on paths that come from sources and bundles.
public enum SourcePath {
    /// Refuses a relative file path that could leave its root: absolute, empty, or with a `.` / `..` component.
    ///
    /// Use it for every path in a snapshot or a pushed bundle before using the path to name anything.
    public static func validateRelative(_ path: String) throws {
        guard !path.isEmpty, !path.hasPrefix("/") else {
            throw SourceError(code: .unsafePath, message: "path '\(path)' must be relative to the source root")
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty, component != ".", component != ".." else {
                throw SourceError(code: .unsafePath, message: "path '\(path)' has an empty, '.' or '..' component; refused")
            }
        }
        guard !path.utf8.contains(0) else {
            throw SourceError(code: .unsafePath, message: "path has a NUL byte; refused")
        }
    }

    /// Refuses a path with a `..` component.
    static func refuseDotDot(_ path: String, what: String) throws {
        if path.split(separator: "/").contains("..") {
            throw SourceError(
                code: .unsafePath,
                message: "\(what) '\(path)' contains '..'; give an absolute path or one without '..'")
        }
    }
}
