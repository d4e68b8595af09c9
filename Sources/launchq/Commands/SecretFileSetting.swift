import Foundation

/// `NAME_FILE` for the secret settings: a file holding the value, as container secrets are mounted
/// (Docker secrets, Kubernetes secret volumes), so the secret is not in the process environment.
///
/// One trailing newline (`\n` or `\r\n`) is removed: files written by `echo` or editors end with one. Setting both
/// `NAME` and `NAME_FILE` is an error, as is a file that cannot be read or is empty; errors name the variable and
/// the path, never the content.
enum SecretFileSetting {
    /// The settings that may come from a file.
    static let names = ["WANDB_API_KEY", "DATABASE_URL", "LAUNCHQ_WEBHOOK_SECRET"]

    /// The process environment with every `NAME` filled from `NAME_FILE` (and the `_FILE` entries removed).
    static var environment: [String: String] {
        get throws(SettingsError) { try resolve(ProcessInfo.processInfo.environment) }
    }

    /// `environment` with every `NAME` filled from `NAME_FILE` (and the `_FILE` entries removed).
    static func resolve(_ environment: [String: String]) throws(SettingsError) -> [String: String] {
        var resolved = environment
        for name in names {
            let fileVariable = name + "_FILE"
            guard let path = environment[fileVariable], !path.isEmpty else { continue }
            resolved[fileVariable] = nil
            if let value = environment[name], !value.isEmpty {
                throw SettingsError(.conflicting, "both \(name) and \(fileVariable) are set; set one of them")
            }
            resolved[name] = try read(path, variable: fileVariable)
        }
        return resolved
    }

    /// The file's text without one trailing newline.
    static func read(_ path: String, variable: String) throws(SettingsError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SettingsError(.unreadableFile, "cannot read \(variable) (\(path)): \(reason(error))")
        }
        var bytes = [UInt8](data)
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !text.isEmpty else { throw SettingsError(.unreadableFile, "\(variable) (\(path)) is empty") }
        return text
    }

    /// Why a file could not be read, in a few words (the system's message; never the content).
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        let nsError = error as NSError
        switch nsError.code {
        case NSFileReadNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError: return "permission denied"
        default: return "read failed"
        }
    }
}
